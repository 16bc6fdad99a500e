import type { SparseVector } from './feature-vector.ts';

/**
 * Several weight vectors over one feature space stored side by side, row-major by feature:
 * weights[j · width + c] is vector c's weight of feature j. A prompt touches a few hundred features at
 * random; read this way, one feature costs one cache line for every vector instead of one per vector
 * (11 models' residual heads were 11 arrays of 64 KB each). In the gateway, other work evicts these
 * tables between requests, so that is a cache miss saved per feature and per vector.
 */
export interface InterleavedHeads {
  weights: Float32Array;
  width: number;
  /** Features j ≥ rows are not in these heads (they read only the first `rows` features). */
  rows: number;
}

export function interleaveHeads(vectors: readonly Float32Array[], rows: number): InterleavedHeads {
  const width = vectors.length;
  const weights = new Float32Array(rows * width);
  vectors.forEach((v, c) => {
    for (let j = 0; j < rows; j++) weights[j * width + c] = v[j]!;
  });
  return { weights, width, rows };
}

/**
 * out[c] = Σ_i w_c[x.idx[i]] · x.val[i] over the entries with idx < rows, summed in entry order: for
 * each vector the same additions in the same order as `dot` on its own array, so the same bits.
 */
export function interleavedDots(heads: InterleavedHeads, x: SparseVector, out: Float64Array): Float64Array {
  const { weights, width, rows } = heads;
  out.fill(0);
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    if (j >= rows) continue;
    const v = x.val[i]!;
    const row = j * width;
    for (let c = 0; c < width; c++) out[c]! += weights[row + c]! * v;
  }
  return out;
}
