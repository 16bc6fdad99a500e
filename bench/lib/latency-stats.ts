export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile of ascending `sorted` values; `p` in (0, 100]. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarizeLatencies(valuesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(valuesMs).sort();
  const values = Array.from(sorted);
  let sum = 0;
  for (const v of values) sum += v;
  return {
    count: values.length,
    meanMs: values.length ? sum / values.length : Number.NaN,
    p50Ms: percentile(values, 50),
    p90Ms: percentile(values, 90),
    p99Ms: percentile(values, 99),
    maxMs: values.length ? values[values.length - 1]! : Number.NaN,
  };
}
