import { describe, expect, it } from 'vitest';
import { meanInterval, pearson, roundSig, tQuantile975, wilsonInterval } from './stats.ts';

describe('stats', () => {
  it('uses Student t quantiles: table up to 30 degrees of freedom, the expansion beyond', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(14)).toBe(2.145);
    expect(tQuantile975(40)).toBeCloseTo(2.0211, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
  });

  it('gives a mean with its t interval from count, sum and sum of squares, clipped to the scale', () => {
    // 0.8 0.9 1.0 0.8 0.9 1.0: mean 0.9, sd 0.089443, t(5) 2.571 → ± 0.093883, clipped at 1.
    const m = meanInterval(6, 5.4, 0.64 + 0.81 + 1 + 0.64 + 0.81 + 1);
    expect(m.mean).toBeCloseTo(0.9, 12);
    expect(m.ci95_low).toBeCloseTo(0.806117, 5);
    expect(m.ci95_high).toBeCloseTo(0.993883, 5);
    expect(meanInterval(3, 2.9, 2.81).ci95_high).toBe(1); // 1 1 0.9: 0.9667 ± 0.1434 would pass 1
    expect(meanInterval(1, 0.7, 0.49)).toEqual({ n: 1, mean: 0.7, ci95_low: null, ci95_high: null });
    expect(meanInterval(0, 0, 0).mean).toBeNull();
    expect(meanInterval(2, 2, 2)).toMatchObject({ mean: 1, ci95_low: 1, ci95_high: 1 });
  });

  it('gives Wilson intervals for proportions, inside [0, 1] even at 0 and 1', () => {
    const w = wilsonInterval(16, 20);
    expect(w?.low).toBeCloseTo(0.584, 3);
    expect(w?.high).toBeCloseTo(0.9193, 3);
    expect(wilsonInterval(0, 10)?.low).toBeCloseTo(0, 12);
    expect(wilsonInterval(0, 10)?.high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10)?.high).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('gives Pearson r from centred sums, null without variation', () => {
    expect(pearson(3, 2, 2, 2)).toBe(1);
    expect(pearson(3, -1, 1, 1)).toBe(-1);
    expect(pearson(3, 0, 0, 1)).toBeNull();
    expect(pearson(2, 1, 1, 1)).toBeNull();
  });

  it('rounds to significant digits so tiny costs keep their magnitude', () => {
    expect(roundSig(0.000123456789)).toBe(0.000123457);
    expect(roundSig(1234567.89)).toBe(1234570);
    expect(roundSig(null)).toBeNull();
  });
});
