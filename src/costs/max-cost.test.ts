import { describe, expect, it } from 'vitest';
import type { Pricing } from '../config/schema.ts';
import { costUsd } from './cost.ts';
import { expectedCostUsd, maxCostUsd } from './max-cost.ts';

const claude: Pricing = { input: 3, cached_input: 0.3, cache_write: 3.75, output: 15 };
const reasoner: Pricing = { input: 1.1, cached_input: 0.275, output: 4.4, reasoning: 5 };

describe('maxCostUsd', () => {
  it('prices the prompt at the dearest input rate and all output at the dearest output rate', () => {
    expect(maxCostUsd(1_000, 500, claude)).toBe((1_000 * 3.75 + 500 * 15) / 1e6);
    expect(maxCostUsd(1_000, 500, reasoner)).toBe(0.0036);
    expect(maxCostUsd(1, 0, { input: 0.15, output: 0.6 })).toBe(1.5e-7);
  });

  it('bounds every cost a request with that prompt and max output can really have', () => {
    const prompt = 2_000;
    const maxOut = 1_000;
    const cap = maxCostUsd(prompt, maxOut, claude);
    for (const cached of [0, 500, 2_000]) {
      for (const written of [0, 2_000 - cached]) {
        for (const reasoning of [0, 400, 1_000]) {
          const actual = costUsd(
            { inputTokens: prompt, cachedInputTokens: cached, cacheWriteTokens: written, outputTokens: maxOut, reasoningTokens: reasoning },
            claude,
          );
          expect(actual).toBeLessThanOrEqual(cap);
        }
      }
    }
  });

  it('treats missing or invalid counts as zero and rounds fractional estimates up', () => {
    expect(maxCostUsd(Number.NaN, -3, claude)).toBe(0);
    expect(maxCostUsd(0.2, 0, { input: 1, output: 1 })).toBe(1e-6);
  });
});

describe('expectedCostUsd', () => {
  it('prices the prompt uncached and the expected output at the output rate', () => {
    expect(expectedCostUsd(1_000, 500, claude)).toBe(0.0105);
    expect(expectedCostUsd(1_000, 500, claude)).toBeLessThan(maxCostUsd(1_000, 500, claude));
  });
});
