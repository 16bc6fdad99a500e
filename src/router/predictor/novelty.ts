import type { SparseVector } from './feature-vector.ts';

/**
 * How unlike the training prompts a prompt's words are: the idf-weighted share of its n-gram mass,
 *
 *   u(x) = Σ_j x_j²·r_j / Σ_j x_j²,   r_j = (idf_j − 1) / (idf_max − 1) ∈ [0, 1],
 *
 * where idf_j = ln((n + 1)/(df_j + 1)) + 1 over the training rows: r = 0 for an n-gram every training
 * prompt has, r = 1 for one none has. u is cheap at serving (one pass over the prompt's buckets with the
 * idf the ridge heads already store) and is turned into a percentile of the training prompts' own u.
 */
export function noveltyOf(x: SparseVector, idf: ArrayLike<number>, idfMax: number, buckets: number): number {
  const span = idfMax - 1;
  if (span <= 0) return 0;
  let mass = 0;
  let novel = 0;
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    if (j >= buckets) continue;
    const v2 = x.val[i]! * x.val[i]!;
    mass += v2;
    novel += v2 * ((idf[j]! - 1) / span);
  }
  return mass > 0 ? novel / mass : 1;
}

export function maxOf(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}

/** 101 quantiles (0 %, 1 %, … 100 %) of the values. */
export function quantiles101(values: ArrayLike<number>): number[] {
  const sorted = Float64Array.from(values).sort();
  return Array.from({ length: 101 }, (_, q) => sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * (sorted.length - 1)))] ?? 0);
}

/** Share of the quantiles at or below `value`, linearly interpolated (0–1). */
export function percentileOf(value: number, q: readonly number[]): number {
  if (value <= q[0]!) return 0;
  if (value >= q[q.length - 1]!) return 1;
  let lo = 0;
  let hi = q.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (q[mid]! <= value) lo = mid;
    else hi = mid;
  }
  const span = q[hi]! - q[lo]!;
  return (lo + (span > 0 ? (value - q[lo]!) / span : 0)) / (q.length - 1);
}

/**
 * u(x) of every training row with the row itself left out of the document frequencies (a row's own
 * n-grams would otherwise look familiar, and held-out prompts would all seem more novel than training).
 */
export function leaveOneOutNovelty(vectors: readonly SparseVector[], buckets: number): Float64Array {
  const n = vectors.length;
  const df = new Float64Array(buckets);
  for (const x of vectors) for (let i = 0; i < x.idx.length; i++) if (x.idx[i]! < buckets && x.val[i] !== 0) df[x.idx[i]!]! += 1;
  // idf_max − 1 over the other n − 1 rows is ln(n) (a bucket none of them has); own buckets count df − 1.
  const span = Math.log(n);
  const out = new Float64Array(n);
  if (span <= 0) return out;
  vectors.forEach((x, r) => {
    let mass = 0;
    let novel = 0;
    for (let i = 0; i < x.idx.length; i++) {
      const j = x.idx[i]!;
      if (j >= buckets || x.val[i] === 0) continue;
      const v2 = x.val[i]! * x.val[i]!;
      mass += v2;
      novel += v2 * (Math.log(n / df[j]!) / span);
    }
    out[r] = mass > 0 ? novel / mass : 1;
  });
  return out;
}
