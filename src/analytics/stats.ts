/**
 * Small statistics the analyses share. Inputs are the aggregates SQL returns (count, sum, sum of
 * squares), so no analysis needs the raw values in memory.
 */

// Two-sided 95% Student t quantiles t(0.975, df) for df = 1…30; above that the Cornish–Fisher expansion
// around z is accurate to 1e-4.
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z975 = 1.959964;

export function tQuantile975(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  if (df <= T975.length) return T975[Math.floor(df) - 1] ?? Z975;
  const z = Z975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

export interface MeanWithInterval {
  n: number;
  mean: number | null;
  /** 95% t interval of the mean, clipped to [lo, hi] of the scale; null below two values. */
  ci95_low: number | null;
  ci95_high: number | null;
}

/** Mean and its 95% t confidence interval from count, sum and sum of squares of values on [0, 1]. */
export function meanInterval(n: number, sum: number, sumSquares: number, bounds: readonly [number, number] = [0, 1]): MeanWithInterval {
  if (n <= 0) return { n: 0, mean: null, ci95_low: null, ci95_high: null };
  const mean = sum / n;
  if (n < 2) return { n, mean, ci95_low: null, ci95_high: null };
  const variance = Math.max(0, (sumSquares - n * mean * mean) / (n - 1));
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { n, mean, ci95_low: Math.max(bounds[0], mean - half), ci95_high: Math.min(bounds[1], mean + half) };
}

/** Wilson score 95% interval of a proportion (good for rates near 0 or 1 and small n). */
export function wilsonInterval(successes: number, n: number): { low: number; high: number } | null {
  if (n <= 0) return null;
  const z = Z975;
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Pearson r from centred sums; null when either variable does not vary or fewer than 3 pairs. */
export function pearson(n: number, sumXY: number, sumXX: number, sumYY: number): number | null {
  if (n < 3 || sumXX <= 0 || sumYY <= 0) return null;
  return Math.max(-1, Math.min(1, sumXY / Math.sqrt(sumXX * sumYY)));
}

/** Rounds for presentation without hiding magnitudes of tiny costs (significant digits, not decimals). */
export function roundSig(value: number | null, digits = 6): number | null {
  if (value === null || !Number.isFinite(value)) return value;
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}

/** Code-unit order of two strings, as SQL's default (binary) collation sorts them. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
