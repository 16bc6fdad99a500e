import { describe, expect, it } from 'vitest';
import { hullCostToReach, hullMeanQuality, hullQualityAt, routerBenchMetrics, upperHull } from './routerbench-metrics.ts';

const cheap = { costUsd: 1, quality: 0.5 };
const mid = { costUsd: 2, quality: 0.6 };
const dear = { costUsd: 3, quality: 0.9 };

describe('upperHull', () => {
  it('drops points under the chord and everything after the best quality', () => {
    const hull = upperHull([dear, mid, cheap, { costUsd: 4, quality: 0.8 }]);
    // mid (0.6 at 2) lies under the chord cheap→dear (0.7 at 2).
    expect(hull).toEqual([cheap, dear]);
  });

  it('keeps a concave frontier', () => {
    const a = { costUsd: 0, quality: 0 };
    const b = { costUsd: 1, quality: 0.8 };
    const c = { costUsd: 2, quality: 1 };
    expect(upperHull([c, a, b])).toEqual([a, b, c]);
  });
});

describe('hull area and cost to reach', () => {
  const hull = [cheap, dear];

  it('interpolates, is flat after the best point and zero before the cheapest', () => {
    expect(hullQualityAt(hull, 2)).toBeCloseTo(0.7);
    expect(hullQualityAt(hull, 5)).toBeCloseTo(0.9);
    expect(hullQualityAt(hull, 0.5)).toBe(0);
  });

  it('averages the hull over the cost range', () => {
    expect(hullMeanQuality(hull, 1, 3)).toBeCloseTo(0.7);
    // A hull that starts at the dearest point only: zero on [1, 2), then 0.9 on [2, 3] → 0.45.
    expect(hullMeanQuality([{ costUsd: 2, quality: 0.9 }], 1, 3)).toBeCloseTo(0.45);
  });

  it('finds the cheapest cost that reaches a quality', () => {
    expect(hullCostToReach(hull, 0.7)).toBeCloseTo(2);
    expect(hullCostToReach(hull, 0.95)).toBeNull();
  });
});

describe('routerBenchMetrics', () => {
  // Two rows, two models. Model 0 is cheap and right only on row 0; model 1 is dear and right on both.
  const base = {
    models: ['cheap', 'dear'],
    quality: [
      [1, 1],
      [0, 1],
    ],
    costUsd: [
      [1, 10],
      [1, 10],
    ],
    estimatedCostUsd: [
      [1, 10],
      [1, 10],
    ],
  };

  it('beats the zero router when predictions know which row needs the dear model', () => {
    const m = routerBenchMetrics({
      ...base,
      predicted: [
        [0.9, 0.9],
        [0.1, 0.9],
      ],
    });
    expect(m.zeroArea).toBeCloseTo(0.75);
    // The λ sweep reaches (5.5, 1.0): cheap on row 0, dear on row 1 → hull (1, .5)→(5.5, 1), flat after.
    expect(m.costToMatchBestUsd).toBeCloseTo(5.5);
    expect(m.costShareToMatchBest).toBeCloseTo(0.55);
    expect(m.routerArea).toBeGreaterThan(m.zeroArea);
  });

  it('equals the zero router when predictions carry no per-row information', () => {
    const m = routerBenchMetrics({
      ...base,
      predicted: [
        [0.5, 0.9],
        [0.5, 0.9],
      ],
    });
    expect(m.routerArea).toBeCloseTo(m.zeroArea);
    expect(m.costToMatchBestUsd).toBeCloseTo(10);
  });
});
