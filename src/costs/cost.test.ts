import { describe, expect, it } from 'vitest';
import type { Pricing } from '../config/schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';
import { costBreakdown, costPicoUsd, costUsd, picoToUsd, priceMicroUsdPerMTok, sumUsd, usdToPico } from './cost.ts';

function usage(u: Partial<NormalizedUsage>): NormalizedUsage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...u };
}

const gpt4oMini: Pricing = { input: 0.15, cached_input: 0.075, output: 0.6 };
const claudeSonnet: Pricing = { input: 3, cached_input: 0.3, cache_write: 3.75, output: 15 };
const o3: Pricing = { input: 2, cached_input: 0.5, output: 8, reasoning: 8 };

describe('costUsd', () => {
  it('prices one token exactly (no float noise)', () => {
    expect(costUsd(usage({ inputTokens: 1 }), gpt4oMini)).toBe(1.5e-7);
    expect(costUsd(usage({ outputTokens: 1 }), gpt4oMini)).toBe(6e-7);
    expect(costUsd(usage({ inputTokens: 3 }), { input: 0.1, output: 0 })).toBe(3e-7);
    // The naive float formula is off here; the integer one is not.
    expect((3 * 0.1) / 1e6).not.toBe(3e-7);
  });

  it('prices each token kind at its own published rate', () => {
    // 10,000 input of which 6,000 read from cache and 1,000 written; 2,000 output of which 500 reasoning.
    const u = usage({ inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteTokens: 1_000, outputTokens: 2_000, reasoningTokens: 500 });
    const p: Pricing = { input: 3, cached_input: 0.3, cache_write: 3.75, output: 15, reasoning: 20 };
    // 3000*3 + 6000*0.3 + 1000*3.75 + 1500*15 + 500*20 = 9000+1800+3750+22500+10000 = 47050 $/M·tok
    expect(costUsd(u, p)).toBe(0.04705);
    const b = costBreakdown(u, p);
    expect(b).toMatchObject({
      uncachedInputTokens: 3_000,
      cachedInputTokens: 6_000,
      cacheWriteTokens: 1_000,
      answerOutputTokens: 1_500,
      reasoningTokens: 500,
      uncachedInputUsd: 0.009,
      cachedInputUsd: 0.0018,
      cacheWriteUsd: 0.00375,
      answerOutputUsd: 0.0225,
      reasoningUsd: 0.01,
      totalUsd: 0.04705,
    });
  });

  it('defaults cached and cache-write to the input price and reasoning to the output price', () => {
    const u = usage({ inputTokens: 1_000, cachedInputTokens: 400, cacheWriteTokens: 100, outputTokens: 300, reasoningTokens: 200 });
    expect(costUsd(u, { input: 1, output: 2 })).toBe(costUsd(usage({ inputTokens: 1_000, outputTokens: 300 }), { input: 1, output: 2 }));
    expect(costUsd(u, { input: 1, output: 2 })).toBe(0.0016);
  });

  it('matches published examples for real models', () => {
    expect(costUsd(usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }), gpt4oMini)).toBe(0.75);
    expect(costUsd(usage({ inputTokens: 1_000_000, cachedInputTokens: 1_000_000 }), claudeSonnet)).toBe(0.3);
    expect(costUsd(usage({ outputTokens: 1_000, reasoningTokens: 900 }), o3)).toBe(0.008);
    expect(costUsd(usage({ inputTokens: 123, cachedInputTokens: 0, outputTokens: 45 }), { input: 0.0375, output: 0.15 })).toBe(0.000011362_5);
  });

  it('never prices negative parts when upstream usage is inconsistent', () => {
    const u = usage({ inputTokens: 10, cachedInputTokens: 20, outputTokens: 5, reasoningTokens: 9 });
    const b = costBreakdown(u, claudeSonnet);
    expect(b.uncachedInputTokens).toBe(0);
    expect(b.answerOutputTokens).toBe(0);
    expect(b.totalUsd).toBe(costUsd(usage({ inputTokens: 20, cachedInputTokens: 20, outputTokens: 9, reasoningTokens: 9 }), claudeSonnet));
    expect(costUsd(usage({ inputTokens: -5, outputTokens: Number.NaN }), gpt4oMini)).toBe(0);
  });

  it('sums many request costs without visible drift', () => {
    const one = costUsd(usage({ inputTokens: 1 }), gpt4oMini);
    const costs = Array.from({ length: 1_000_000 }, () => one);
    expect(sumUsd(costs)).toBe(0.15);
    let naive = 0;
    for (const c of costs) naive += c;
    expect(naive).not.toBe(0.15);
    let pico = 0n;
    for (let i = 0; i < 1000; i++) pico += BigInt(costPicoUsd(usage({ inputTokens: 7, outputTokens: 3 }), gpt4oMini));
    expect(picoToUsd(pico)).toBe(0.00285);
  });

  it('stays exact past the safe-integer range', () => {
    const u = usage({ inputTokens: 2_000_000_000, outputTokens: 1_000_000_000 });
    expect(costUsd(u, { input: 150, output: 600 })).toBe(900_000);
    expect(picoToUsd(usdToPico(123_456.789_012_345))).toBeCloseTo(123_456.789_012_345, 9);
  });

  it('scales prices to integer micro-USD per 1M tokens and rejects invalid ones', () => {
    expect(priceMicroUsdPerMTok(0.15)).toBe(150_000);
    expect(priceMicroUsdPerMTok(0.0375)).toBe(37_500);
    expect(() => priceMicroUsdPerMTok(-1)).toThrow(RangeError);
  });
});
