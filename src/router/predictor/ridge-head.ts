import type { SparseVector } from './feature-vector.ts';

/**
 * The per-prompt "text" head: per model a ridge regression (a linear probability model) of the outcome,
 * minus the model's coarse-head level for that kind of prompt, on the hashed n-grams re-weighted by
 * inverse document frequency (rare n-grams say more about a prompt than "the", "which") and L2-normalized.
 *
 *   p_ridge,m(x) = p_coarse,m(x) + w_m · x̃,   x̃ = idf ∘ x_hashed / ‖idf ∘ x_hashed‖
 *
 * Why a squared loss and not another logistic: ridge solves exactly (conjugate gradients, ~25 steps),
 * is linear in the label — so the difference of two models' heads is the ridge fit of the outcome
 * difference, the quantity a strong/weak router ranks by — and on the shared data it ranked the
 * GPT-4/Mixtral pair on MMLU better than the SGD-trained logistic residuals (docs/router.md).
 */
export interface RidgeHead {
  /** Weights over the hashed buckets, already multiplied by the idf (so serving needs one dot product). */
  weights: Float32Array;
}

export interface RidgeOptions {
  l2: number;
  iterations: number;
}

export const DEFAULT_RIDGE: RidgeOptions = { l2: 10, iterations: 25 };

/** ln((n + 1)/(df + 1)) + 1 per hashed bucket, from the rows' non-zero buckets. */
export function inverseDocumentFrequency(vectors: readonly SparseVector[], buckets: number): Float32Array {
  const df = new Float64Array(buckets);
  for (const x of vectors) {
    for (let i = 0; i < x.idx.length; i++) if (x.idx[i]! < buckets && x.val[i] !== 0) df[x.idx[i]!]! += 1;
  }
  const idf = new Float32Array(buckets);
  for (let j = 0; j < buckets; j++) idf[j] = Math.log((vectors.length + 1) / (df[j]! + 1)) + 1;
  return idf;
}

/** 1/‖idf ∘ x_hashed‖ (0 for a prompt with no n-grams): the per-prompt scale of x̃. */
export function idfNorm(x: SparseVector, idf: ArrayLike<number>, buckets: number): number {
  let s = 0;
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    if (j >= buckets) continue;
    const v = idf[j]! * x.val[i]!;
    s += v * v;
  }
  return s > 0 ? 1 / Math.sqrt(s) : 0;
}

/** w_m · x̃ for weights already multiplied by the idf; `scale` = idfNorm(x). */
export function ridgeDeviation(head: RidgeHead, x: SparseVector, scale: number, buckets: number): number {
  if (scale === 0) return 0;
  const w = head.weights;
  let s = 0;
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    if (j < buckets) s += w[j]! * x.val[i]!;
  }
  return s * scale;
}

/**
 * Solves min_w Σ_r (target_r − w·x̃_r)² + l2·|w|² by conjugate gradients on the normal equations
 * (CGLS: only products with X and Xᵀ, no d×d matrix). Deterministic; converges in ~20 steps here
 * because the rows are unit vectors and l2 ≫ 0.
 */
export function fitRidgeHead(vectors: readonly SparseVector[], targets: ArrayLike<number>, idf: Float32Array, buckets: number, opts: RidgeOptions): RidgeHead {
  const rows = vectors.map((x) => scaledHashed(x, idf, buckets));
  const n = rows.length;
  const w = new Float64Array(buckets);
  // r = b − Xw (w = 0), s = Xᵀr − l2·w, p = s.
  const r = Float64Array.from({ length: n }, (_, i) => targets[i]!);
  const s = transposeTimes(rows, r, buckets);
  const p = Float64Array.from(s);
  let gamma = dotDense(s, s);
  const q = new Float64Array(n);
  for (let it = 0; it < opts.iterations && gamma > 1e-12; it++) {
    times(rows, p, q);
    const alpha = gamma / (dotDense(q, q) + opts.l2 * dotDense(p, p));
    for (let j = 0; j < buckets; j++) w[j]! += alpha * p[j]!;
    for (let i = 0; i < n; i++) r[i]! -= alpha * q[i]!;
    const sNew = transposeTimes(rows, r, buckets);
    for (let j = 0; j < buckets; j++) sNew[j]! -= opts.l2 * w[j]!;
    const gammaNew = dotDense(sNew, sNew);
    const beta = gammaNew / gamma;
    for (let j = 0; j < buckets; j++) p[j] = sNew[j]! + beta * p[j]!;
    gamma = gammaNew;
  }
  // Stored pre-multiplied by the idf: serving computes w·(idf∘x)/‖idf∘x‖ as (w∘idf)·x · scale.
  const weights = new Float32Array(buckets);
  for (let j = 0; j < buckets; j++) weights[j] = w[j]! * idf[j]!;
  return { weights };
}

interface ScaledRow {
  idx: Uint32Array;
  val: Float64Array;
}

function scaledHashed(x: SparseVector, idf: Float32Array, buckets: number): ScaledRow {
  let count = 0;
  for (let i = 0; i < x.idx.length; i++) if (x.idx[i]! < buckets) count++;
  const idx = new Uint32Array(count);
  const val = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    if (j >= buckets) continue;
    idx[k] = j;
    val[k++] = idf[j]! * x.val[i]!;
  }
  const scale = idfNorm(x, idf, buckets);
  for (let i = 0; i < count; i++) val[i]! *= scale;
  return { idx, val };
}

function times(rows: readonly ScaledRow[], v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < rows.length; i++) {
    const { idx, val } = rows[i]!;
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += val[k]! * v[idx[k]!]!;
    out[i] = s;
  }
}

function transposeTimes(rows: readonly ScaledRow[], u: Float64Array, width: number): Float64Array {
  const out = new Float64Array(width);
  for (let i = 0; i < rows.length; i++) {
    const { idx, val } = rows[i]!;
    const ui = u[i]!;
    if (ui === 0) continue;
    for (let k = 0; k < idx.length; k++) out[idx[k]!]! += val[k]! * ui;
  }
  return out;
}

function dotDense(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
