import { describe, expect, it } from 'vitest';
import { maxCostUsd } from '../costs/max-cost.ts';
import { makeTestTarget } from '../providers/shared/target.test-support.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { mostCostUsd } from './budget-guard.ts';

describe('mostCostUsd', () => {
  it('is the dearest candidate, each at its own output allowance', () => {
    const priced = (id: string, input: number, output: number, maxOut: number): UpstreamTarget => {
      const t = makeTestTarget('openai', { id, max_output_tokens: maxOut });
      return { ...t, model: { ...t.model, pricing: { ...t.model.pricing, input, output } } };
    };
    const cheap = priced('cheap', 0.15, 0.6, 16_000);
    const dear = priced('dear', 2.5, 10, 1_000);
    const costOf = (t: UpstreamTarget) => maxCostUsd(500, t.model.max_output_tokens, t.model.pricing);
    expect(mostCostUsd([cheap, dear], costOf)).toBe(Math.max(costOf(cheap), costOf(dear)));
    expect(costOf(cheap)).not.toBe(costOf(dear));
    expect(mostCostUsd([], costOf)).toBe(0);
  });
});
