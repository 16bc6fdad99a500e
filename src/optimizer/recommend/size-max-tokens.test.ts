import { describe, expect, it } from 'vitest';
import { MaxTokensSizing } from '../../config/optimizer-schema.ts';
import { cutBy, percentileOf, sizeMaxTokens, type LengthStats } from './size-max-tokens.ts';

const SIZING = MaxTokensSizing.parse({}); // p95, × 1.25, at least 20 samples

/** 100 answers of 1..100 tokens: p95 is exactly 95. */
function history(overrides: Partial<LengthStats> = {}): LengthStats {
  return {
    taskType: 'qa',
    sortedOutputTokens: Array.from({ length: 100 }, (_, i) => i + 1),
    truncated: 0,
    fromMs: Date.UTC(2026, 0, 1),
    toMs: Date.UTC(2026, 0, 2),
    ...overrides,
  };
}

const MINI = { id: 'sim-mini', maxOutputTokens: 16_384, outputUsdPerMTok: 0.6 };

describe('percentileOf and cutBy', () => {
  it('takes the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileOf(xs, 0.95)).toBe(95);
    expect(percentileOf(xs, 0.5)).toBe(50);
    expect(percentileOf(xs, 1)).toBe(100);
    expect(percentileOf([7, 9, 30], 0.95)).toBe(30);
  });

  it('counts the answers and tokens above a cap', () => {
    expect(cutBy([10, 20, 30, 40], 25)).toEqual({ answersCut: 2, tokensCut: 5 + 15 });
    expect(cutBy([10, 20], 50)).toEqual({ answersCut: 0, tokensCut: 0 });
  });
});

describe('sizeMaxTokens', () => {
  it('recommends the percentile times the margin, with the effect the observed answers show', () => {
    const out = sizeMaxTokens({ stats: history(), taskType: 'qa', sizing: SIZING, requestedMaxTokens: undefined, model: MINI });
    if (!out.ok) throw new Error(out.reason);
    const r = out.recommendation;
    expect(r.recommended).toBe(119); // ceil(95 × 1.25)
    expect(r.current).toBeNull();
    // No observed answer is longer than 119: nothing would have been cut, nothing billed saved.
    expect(r.effect.output_tokens).toBeCloseTo(0, 12);
    expect(r.effect.quality).toBeCloseTo(0, 12);
    expect(r.effect.worst_case_output_tokens).toBe(119 - 16_384);
    expect(r.evidence).toMatchObject({ source: 'observed_requests', requests: 100, percentile: 0.95, percentile_tokens: 95, margin: 1.25, truncated: 0 });
  });

  it('reports the tokens and answers a tight cap would cut', () => {
    const sizing = { ...SIZING, percentile: 0.9, margin: 1 };
    const out = sizeMaxTokens({ stats: history(), taskType: 'qa', sizing, requestedMaxTokens: 4_000, model: MINI });
    if (!out.ok) throw new Error(out.reason);
    expect(out.recommendation.recommended).toBe(90);
    // Answers 91..100 lose 1..10 tokens: 55 tokens over 100 requests.
    expect(out.recommendation.effect.output_tokens).toBeCloseTo(-0.55, 12);
    expect(out.recommendation.effect.cost_usd).toBeCloseTo((-0.55 * 0.6) / 1e6, 15);
    expect(out.recommendation.effect.quality).toBeCloseTo(-0.1, 12);
    expect(out.recommendation.effect.worst_case_output_tokens).toBe(90 - 4_000);
    expect(out.recommendation.current).toBe(4_000);
  });

  it("never raises a caller's lower max_tokens", () => {
    const out = sizeMaxTokens({ stats: history(), taskType: 'qa', sizing: SIZING, requestedMaxTokens: 64, model: MINI });
    expect(out).toEqual({ ok: false, reason: 'the request already asks for max_tokens 64 ≤ the sized 119' });
  });

  it("is capped by the model's output limit", () => {
    const long = history({ sortedOutputTokens: Array.from({ length: 40 }, () => 3_000) });
    const out = sizeMaxTokens({ stats: long, taskType: 'qa', sizing: SIZING, requestedMaxTokens: undefined, model: { ...MINI, maxOutputTokens: 2_048 } });
    expect(out.ok && out.recommendation.recommended).toBe(2_048);
  });

  it('needs min_samples completed requests', () => {
    const few = history({ sortedOutputTokens: [5, 6, 7] });
    expect(sizeMaxTokens({ stats: few, taskType: 'qa', sizing: SIZING, requestedMaxTokens: undefined, model: MINI })).toEqual({
      ok: false,
      reason: '3 completed qa requests observed; max_tokens is sized from at least 20',
    });
    expect(sizeMaxTokens({ stats: undefined, taskType: 'math', sizing: SIZING, requestedMaxTokens: undefined, model: MINI }).ok).toBe(false);
  });

  it('refuses to size from answers that were themselves cut', () => {
    const out = sizeMaxTokens({ stats: history({ truncated: 6 }), taskType: 'qa', sizing: SIZING, requestedMaxTokens: undefined, model: MINI });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toContain('6 of 100 observed qa answers stopped at their max_tokens');
    expect(sizeMaxTokens({ stats: history({ truncated: 5 }), taskType: 'qa', sizing: SIZING, requestedMaxTokens: undefined, model: MINI }).ok).toBe(true);
  });
});
