/**
 * RouterBench's cost–quality view (Hu et al. 2024): sweep a cost weight λ in argmax over models of
 * (predicted quality − λ·estimated cost), plot mean cost against mean quality, and compare the area
 * under the curve's upper hull with that of the single models alone (the "zero router", which can only
 * mix single models at random). Hull points between two sweep settings are reachable by choosing
 * between those two settings at random, so the hull is what a deployed router can actually get.
 */
export interface CostQualityPoint {
  costUsd: number;
  quality: number;
  label?: string;
}

/** Non-decreasing concave frontier from the cheapest point up to the best-quality point. */
export function upperHull(points: readonly CostQualityPoint[]): CostQualityPoint[] {
  const sorted = [...points].sort((a, b) => a.costUsd - b.costUsd || b.quality - a.quality);
  const hull: CostQualityPoint[] = [];
  for (const p of sorted) {
    if (hull.length > 0 && hull[hull.length - 1]!.costUsd === p.costUsd) continue;
    while (hull.length >= 2) {
      const a = hull[hull.length - 2]!;
      const b = hull[hull.length - 1]!;
      // Drop b when it lies on or below the chord a→p.
      const cross = (b.costUsd - a.costUsd) * (p.quality - a.quality) - (b.quality - a.quality) * (p.costUsd - a.costUsd);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(p);
  }
  let best = 0;
  for (let i = 1; i < hull.length; i++) if (hull[i]!.quality > hull[best]!.quality) best = i;
  return hull.slice(0, best + 1);
}

/** Best quality reachable at cost ≤ c on the hull; 0 below its cheapest point, flat after its best. */
export function hullQualityAt(hull: readonly CostQualityPoint[], costUsd: number): number {
  if (hull.length === 0 || costUsd < hull[0]!.costUsd) return 0;
  for (let i = 1; i < hull.length; i++) {
    const a = hull[i - 1]!;
    const b = hull[i]!;
    if (costUsd <= b.costUsd) return a.quality + ((costUsd - a.costUsd) / (b.costUsd - a.costUsd)) * (b.quality - a.quality);
  }
  return hull[hull.length - 1]!.quality;
}

/** Mean quality of the hull over [lo, hi] (area divided by width); exact, the hull is piecewise linear. */
export function hullMeanQuality(hull: readonly CostQualityPoint[], lo: number, hi: number): number {
  if (hull.length === 0) return 0;
  if (hi <= lo) return hullQualityAt(hull, lo);
  // Below the hull's cheapest point nothing is reachable: that stretch adds zero area.
  const from = Math.max(lo, hull[0]!.costUsd);
  if (from >= hi) return 0;
  const xs = [from, ...hull.map((p) => p.costUsd).filter((c) => c > from && c < hi), hi];
  let area = 0;
  for (let i = 1; i < xs.length; i++) {
    area += ((xs[i]! - xs[i - 1]!) * (hullQualityAt(hull, xs[i - 1]!) + hullQualityAt(hull, xs[i]!))) / 2;
  }
  return area / (hi - lo);
}

/** Cheapest cost at which the hull reaches `quality`, or null if it never does. */
export function hullCostToReach(hull: readonly CostQualityPoint[], quality: number): number | null {
  for (let i = 0; i < hull.length; i++) {
    const b = hull[i]!;
    if (b.quality < quality) continue;
    if (i === 0) return b.costUsd;
    const a = hull[i - 1]!;
    return a.costUsd + ((quality - a.quality) / (b.quality - a.quality)) * (b.costUsd - a.costUsd);
  }
  return null;
}

export interface SweepInput {
  models: readonly string[];
  /** [row][model] predicted probability of a good answer. */
  predicted: ReadonlyArray<ArrayLike<number>>;
  /** [row][model] estimated cost the router may use (known before the call). */
  estimatedCostUsd: ReadonlyArray<ArrayLike<number>>;
  /** [row][model] realized outcome and cost. */
  quality: ReadonlyArray<ArrayLike<number>>;
  costUsd: ReadonlyArray<ArrayLike<number>>;
}

/** λ values from 0 up to where the cheapest model always wins, log-spaced. */
export function lambdaGrid(estimatedCostUsd: ReadonlyArray<ArrayLike<number>>, steps = 80): number[] {
  let minCost = Infinity;
  let maxCost = 0;
  for (const row of estimatedCostUsd) {
    for (let m = 0; m < row.length; m++) {
      if (row[m]! > 0) minCost = Math.min(minCost, row[m]!);
      maxCost = Math.max(maxCost, row[m]!);
    }
  }
  if (!Number.isFinite(minCost) || maxCost === 0) return [0];
  const lo = Math.log10(1e-3 / maxCost);
  const hi = Math.log10(1e3 / minCost);
  return [0, ...Array.from({ length: steps }, (_, k) => 10 ** (lo + ((hi - lo) * k) / (steps - 1)))];
}

export function sweepCostWeight(input: SweepInput, lambdas: readonly number[]): CostQualityPoint[] {
  const n = input.predicted.length;
  return lambdas.map((lambda) => {
    let cost = 0;
    let quality = 0;
    for (let r = 0; r < n; r++) {
      const p = input.predicted[r]!;
      const est = input.estimatedCostUsd[r]!;
      let best = 0;
      let bestValue = -Infinity;
      for (let m = 0; m < input.models.length; m++) {
        const v = p[m]! - lambda * est[m]!;
        if (v > bestValue) {
          bestValue = v;
          best = m;
        }
      }
      cost += input.costUsd[r]![best]!;
      quality += input.quality[r]![best]!;
    }
    return { costUsd: cost / Math.max(1, n), quality: quality / Math.max(1, n), label: `λ=${lambda.toPrecision(3)}` };
  });
}

export interface RouterBenchMetrics {
  singleModels: CostQualityPoint[];
  routerPoints: CostQualityPoint[];
  routerHull: CostQualityPoint[];
  zeroHull: CostQualityPoint[];
  /** Mean hull quality between the cheapest and the dearest single model. */
  routerArea: number;
  zeroArea: number;
  bestSingle: CostQualityPoint;
  /** Cost at which the router's hull reaches the best single model's quality, and as a share of its cost. */
  costToMatchBestUsd: number | null;
  costShareToMatchBest: number | null;
  /** The same without mixing: the cheapest single sweep point at or above that quality. */
  pointCostToMatchBestUsd: number | null;
}

export function routerBenchMetrics(input: SweepInput, lambdas = lambdaGrid(input.estimatedCostUsd)): RouterBenchMetrics {
  const n = Math.max(1, input.quality.length);
  const singleModels = input.models.map((label, m) => {
    let cost = 0;
    let quality = 0;
    for (let r = 0; r < input.quality.length; r++) {
      cost += input.costUsd[r]![m]!;
      quality += input.quality[r]![m]!;
    }
    return { label, costUsd: cost / n, quality: quality / n };
  });
  const routerPoints = sweepCostWeight(input, lambdas);
  const routerHull = upperHull(routerPoints);
  const zeroHull = upperHull(singleModels);
  const lo = Math.min(...singleModels.map((p) => p.costUsd));
  const hi = Math.max(...singleModels.map((p) => p.costUsd));
  const bestSingle = singleModels.reduce((a, b) => (b.quality > a.quality || (b.quality === a.quality && b.costUsd < a.costUsd) ? b : a));
  const costToMatchBestUsd = hullCostToReach(routerHull, bestSingle.quality);
  const matching = routerPoints.filter((p) => p.quality >= bestSingle.quality).map((p) => p.costUsd);
  return {
    singleModels,
    routerPoints,
    routerHull,
    zeroHull,
    routerArea: hullMeanQuality(routerHull, lo, hi),
    zeroArea: hullMeanQuality(zeroHull, lo, hi),
    bestSingle,
    costToMatchBestUsd,
    costShareToMatchBest: costToMatchBestUsd === null ? null : costToMatchBestUsd / bestSingle.costUsd,
    pointCostToMatchBestUsd: matching.length > 0 ? Math.min(...matching) : null,
  };
}
