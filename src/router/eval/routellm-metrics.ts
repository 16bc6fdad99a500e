import { createRng } from '../predictor/rng.ts';

/**
 * RouteLLM's strong/weak metrics (Ong et al. 2024): threshold the router's score at its 11 deciles,
 * send rows scoring at or above the threshold to the strong model, and measure the share of strong
 * calls against the performance gap recovered, PGR = (quality − weak) / (strong − weak).
 */
export interface PairCurvePoint {
  threshold: number;
  strongShare: number;
  quality: number;
  pgr: number;
}

export interface PairMetrics {
  points: PairCurvePoint[];
  strongQuality: number;
  weakQuality: number;
  /** Area under PGR over the share of strong calls (trapezoid, endpoints (0,0) and (1,1) added). */
  apgr: number;
  /** Share of strong calls needed to recover 50% / 80% of the gap (linear interpolation). */
  cpt50: number;
  cpt80: number;
}

/** Quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function pairMetrics(scores: readonly number[], strong: readonly number[], weak: readonly number[]): PairMetrics {
  const n = scores.length;
  const strongQuality = mean(strong);
  const weakQuality = mean(weak);
  const gap = strongQuality - weakQuality;
  const sorted = [...scores].sort((a, b) => a - b);
  const points: PairCurvePoint[] = [];
  for (let k = 0; k <= 10; k++) {
    const threshold = quantile(sorted, k / 10);
    let strongCalls = 0;
    let quality = 0;
    for (let i = 0; i < n; i++) {
      const toStrong = scores[i]! >= threshold;
      if (toStrong) strongCalls++;
      quality += toStrong ? strong[i]! : weak[i]!;
    }
    quality /= Math.max(1, n);
    points.push({ threshold, strongShare: strongCalls / Math.max(1, n), quality, pgr: gap !== 0 ? (quality - weakQuality) / gap : NaN });
  }
  const curve = curveWithEndpoints(points);
  return { points, strongQuality, weakQuality, apgr: trapezoid(curve), cpt50: callsToReach(curve, 0.5), cpt80: callsToReach(curve, 0.8) };
}

/** (share, PGR) sorted by share, with all-weak (0, 0) and all-strong (1, 1) included. */
export function curveWithEndpoints(points: readonly PairCurvePoint[]): Array<[number, number]> {
  const curve: Array<[number, number]> = points.map((p) => [p.strongShare, p.pgr]);
  curve.push([0, 0], [1, 1]);
  curve.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return curve;
}

export function trapezoid(curve: ReadonlyArray<readonly [number, number]>): number {
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    const [x0, y0] = curve[i - 1]!;
    const [x1, y1] = curve[i]!;
    area += ((x1 - x0) * (y0 + y1)) / 2;
  }
  return area;
}

/** First share of strong calls at which PGR reaches `target`, interpolating within the segment. */
export function callsToReach(curve: ReadonlyArray<readonly [number, number]>, target: number): number {
  for (let i = 0; i < curve.length; i++) {
    const [x1, y1] = curve[i]!;
    if (y1 < target) continue;
    if (i === 0) return x1;
    const [x0, y0] = curve[i - 1]!;
    return y1 === y0 ? x1 : x0 + ((target - y0) / (y1 - y0)) * (x1 - x0);
  }
  return 1;
}

/** The same metrics for a router with uniformly random scores, averaged over `seeds` seeds. */
export function randomRouterMetrics(strong: readonly number[], weak: readonly number[], seeds = 10, seed = 1): { apgr: number; cpt50: number; cpt80: number } {
  let apgr = 0;
  let cpt50 = 0;
  let cpt80 = 0;
  for (let s = 0; s < seeds; s++) {
    const rng = createRng(seed + s * 7919);
    const m = pairMetrics(
      strong.map(() => rng()),
      strong,
      weak,
    );
    apgr += m.apgr / seeds;
    cpt50 += m.cpt50 / seeds;
    cpt80 += m.cpt80 / seeds;
  }
  return { apgr, cpt50, cpt80 };
}

/**
 * The same metrics for the oracle router, which knows each row's realized gain (strong − weak): the
 * ceiling of APGR on this data. Far from 1 where outcomes are graded rather than 0/1 — AlpacaEval's
 * judged preferences put the GPT-4-1106 / GPT-3.5-1106 oracle at 0.59 — so a pair's APGR reads against it.
 */
export function oracleRouterMetrics(strong: readonly number[], weak: readonly number[]): { apgr: number; cpt50: number; cpt80: number } {
  const m = pairMetrics(
    strong.map((s, i) => s - weak[i]!),
    strong,
    weak,
  );
  return { apgr: m.apgr, cpt50: m.cpt50, cpt80: m.cpt80 };
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length > 0 ? s / xs.length : NaN;
}
