import { describe, expect, it } from 'vitest';
import { estimateCandidate, estimateCostUsd, LIVE_PRIOR_SAMPLES, MAX_ERROR_RATE } from './estimate-candidate.ts';
import { model } from './policy-fixtures.test-support.ts';

const mini = model('gpt-4o-mini'); // $0.15 / $0.60 per 1M, 400 ms ttft, 90 tok/s

describe('estimateCostUsd', () => {
  it('prices prompt and output tokens per million', () => {
    expect(estimateCostUsd({ input: 2.5, output: 10 }, 1_000_000, 0)).toBe(2.5);
    expect(estimateCostUsd({ input: 0.15, output: 0.6 }, 2_000, 500)).toBeCloseTo((2_000 * 0.15 + 500 * 0.6) / 1e6, 15);
  });
});

describe('estimateCandidate', () => {
  it('uses the catalog numbers when nothing has been observed', () => {
    const e = estimateCandidate(mini, 2_000, 450, 0.9, { samples: 0 });
    expect(e.estCostUsd).toBeCloseTo(0.00057, 12);
    expect(e.estLatencyMs).toBeCloseTo(400 + (450 / 90) * 1000, 9);
    expect(e.predictedQuality).toBe(0.9);
    expect(e.outputTokens).toBe(450);
    expect(e.breakerOpen).toBe(false);
  });

  it("caps the output at the model's maximum", () => {
    const local = model('llama-local');
    expect(estimateCandidate(local, 100, 5_000, 0.5, { samples: 0 }).outputTokens).toBe(2_048);
  });

  it('blends live latency in with a weight that grows with the samples', () => {
    const live = { ttftMsEwma: 1_400, outputTokensPerSEwma: 90, samples: LIVE_PRIOR_SAMPLES };
    const half = estimateCandidate(mini, 0, 90, 0.9, live);
    expect(half.estLatencyMs).toBeCloseTo((400 + 1_400) / 2 + 1_000, 9);
    const many = estimateCandidate(mini, 0, 90, 0.9, { ...live, samples: 2_000 });
    expect(many.estLatencyMs).toBeGreaterThan(2_350);
    const few = estimateCandidate(mini, 0, 90, 0.9, { ...live, samples: 1 });
    expect(few.estLatencyMs).toBeLessThan(1_500);
  });

  it('penalizes quality and latency by the weighted error rate', () => {
    const clean = estimateCandidate(mini, 100, 90, 0.9, { samples: 0 });
    const failing = estimateCandidate(mini, 100, 90, 0.9, { errorRate: 0.5, samples: 1_000_000 });
    expect(failing.errorRate).toBeCloseTo(0.5, 4);
    expect(failing.predictedQuality).toBeCloseTo(0.45, 4);
    expect(failing.estLatencyMs).toBeCloseTo(clean.estLatencyMs * 2, 0);
    const dead = estimateCandidate(mini, 100, 90, 0.9, { errorRate: 1, samples: 1_000_000 });
    expect(dead.errorRate).toBeLessThanOrEqual(MAX_ERROR_RATE);
    expect(Number.isFinite(dead.estLatencyMs)).toBe(true);
  });

  it('clamps predictions into 0–1 and reads the breaker flag', () => {
    expect(estimateCandidate(mini, 1, 1, 1.7, { samples: 0 }).predictedQuality).toBe(1);
    expect(estimateCandidate(mini, 1, 1, Number.NaN, { samples: 0 }).predictedQuality).toBe(0);
    expect(estimateCandidate(mini, 1, 1, 0.5, { samples: 3, breakerOpen: true }).breakerOpen).toBe(true);
  });
});
