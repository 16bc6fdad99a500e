import { describe, expect, it } from 'vitest';
import { callsToReach, oracleRouterMetrics, pairMetrics, quantile, randomRouterMetrics, trapezoid } from './routellm-metrics.ts';

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});

describe('trapezoid and callsToReach', () => {
  it('integrates the diagonal to 0.5 and reads shares off it', () => {
    const diagonal: Array<[number, number]> = [
      [0, 0],
      [1, 1],
    ];
    expect(trapezoid(diagonal)).toBeCloseTo(0.5);
    expect(callsToReach(diagonal, 0.5)).toBeCloseTo(0.5);
    expect(callsToReach(diagonal, 0.8)).toBeCloseTo(0.8);
  });

  it('handles a curve that jumps early', () => {
    const curve: Array<[number, number]> = [
      [0, 0],
      [0.2, 1],
      [1, 1],
    ];
    expect(trapezoid(curve)).toBeCloseTo(0.9);
    expect(callsToReach(curve, 0.5)).toBeCloseTo(0.1);
  });
});

describe('pairMetrics', () => {
  // 10 prompts: strong right on all, weak right on the first 8. Only prompts 8 and 9 need the strong model.
  const strong = Array<number>(10).fill(1);
  const weak = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];

  it('gives a perfect router (scores high exactly where the strong model is needed) near-full APGR', () => {
    const scores = [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.9, 0.95];
    const m = pairMetrics(scores, strong, weak);
    expect(m.strongQuality).toBe(1);
    expect(m.weakQuality).toBe(0.8);
    // At the 90% decile (threshold between 0.9 and 0.95) only prompt 9 goes strong: PGR 0.5 at share 0.1.
    const p90 = m.points[9]!;
    expect(p90.strongShare).toBeCloseTo(0.1);
    expect(p90.pgr).toBeCloseTo(0.5);
    expect(m.points[10]!.strongShare).toBeCloseTo(0.1);
    expect(m.points[0]!.strongShare).toBe(1);
    expect(m.cpt50).toBeCloseTo(0.1);
    // PGR goes 0.5 → 1 between shares 0.1 and 0.2, so 0.8 is reached at 0.1 + 0.6·0.1.
    expect(m.cpt80).toBeCloseTo(0.16);
    // Curve (0,0) (0.1,0.5) (0.2,1) ... (1,1): area = 0.025 + 0.075 + 0.8.
    expect(m.apgr).toBeCloseTo(0.9);
  });

  it('gives an inverted router an APGR well below 0.5', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0];
    expect(pairMetrics(scores, strong, weak).apgr).toBeLessThan(0.2);
  });

  it('gives a random router an APGR of about 0.5', () => {
    const n = 4000;
    const s = Array<number>(n).fill(1);
    const w = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const random = randomRouterMetrics(s, w, 10, 3);
    expect(random.apgr).toBeGreaterThan(0.46);
    expect(random.apgr).toBeLessThan(0.54);
    expect(random.cpt50).toBeGreaterThan(0.44);
    expect(random.cpt50).toBeLessThan(0.56);
  });

  it('puts the oracle at the ceiling: above any router on 0/1 outcomes, near random on graded ones', () => {
    // 0/1: the strong model alone is right on 3 rows of 10; the oracle sends exactly those.
    const s = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const w = [1, 0, 1, 0, 1, 1, 0, 1, 1, 1];
    const oracle = oracleRouterMetrics(s, w);
    expect(oracle.apgr).toBeGreaterThan(pairMetrics([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0], s, w).apgr);
    expect(oracle.cpt50).toBeLessThan(0.2);
    // Graded: the strong model is always 0.5 and the weak one's gains are nearly equal on every row, so
    // knowing them buys little — the oracle's APGR stays close to a random router's 0.5.
    const graded = Array.from({ length: 100 }, (_, i) => 0.05 + 0.001 * (i % 7));
    expect(oracleRouterMetrics(Array<number>(100).fill(0.5), graded).apgr).toBeLessThan(0.56);
  });
});
