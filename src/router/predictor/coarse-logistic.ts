import type { FeatureLayout, SparseVector } from './feature-vector.ts';

/**
 * The coarse per-model predictor: an L2-regularized logistic regression per model on the dense and
 * task-type features only (about 45 numbers per model, fitted exactly by Newton's method). It knows a
 * model's level for a kind of prompt (multiple choice vs code vs fill-in-the-blank, long vs short)
 * but nothing about the individual prompt, so it is the point the full predictor's per-prompt
 * deviations are shrunk towards: with little evidence, routing falls back to "best model for this
 * kind of prompt", which is what the zero router gets right.
 */
export interface CoarseHead {
  bias: number;
  /** One weight per dense feature, then one per task type (the layout's order). */
  weights: Float64Array;
}

/** Dense + task coordinates of a sparse vector, as a dense array (hashed coordinates are skipped). */
export function coarseInputs(x: SparseVector, layout: FeatureLayout, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    if (j >= layout.buckets) out[j - layout.buckets] = x.val[i]!;
  }
  return out;
}

export function coarseLogit(head: CoarseHead, inputs: ArrayLike<number>): number {
  let z = head.bias;
  for (let j = 0; j < head.weights.length; j++) z += head.weights[j]! * inputs[j]!;
  return z;
}

/**
 * Newton's method (IRLS) on log loss + l2/2·|w|² (bias and the last `freeColumns` inputs unpenalized:
 * offsets that must absorb a whole level, fit-heads.ts); deterministic, ≤ `iterations` steps.
 */
export function fitCoarseHead(inputs: readonly Float64Array[], labels: readonly number[], l2 = 1, iterations = 12, freeColumns = 0): CoarseHead {
  const d = (inputs[0]?.length ?? 0) + 1;
  const w = new Float64Array(d);
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let iter = 0; iter < iterations; iter++) {
    grad.fill(0);
    hess.fill(0);
    for (let k = 1; k < d; k++) {
      const penalty = k < d - freeColumns ? l2 : 1e-6;
      grad[k] = penalty * w[k]!;
      hess[k * d + k] = penalty;
    }
    hess[0] = 1e-6;
    for (let r = 0; r < inputs.length; r++) {
      row[0] = 1;
      row.set(inputs[r]!, 1);
      let z = 0;
      for (let k = 0; k < d; k++) z += w[k]! * row[k]!;
      const p = 1 / (1 + Math.exp(-z));
      const g = p - labels[r]!;
      const h = Math.max(1e-6, p * (1 - p));
      for (let a = 0; a < d; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        grad[a]! += g * ra;
        const base = a * d;
        for (let b = 0; b < d; b++) hess[base + b]! += h * ra * row[b]!;
      }
    }
    const step = solveSymmetric(hess, grad, d);
    let size = 0;
    for (let k = 0; k < d; k++) {
      w[k]! -= step[k]!;
      size += Math.abs(step[k]!);
    }
    if (size < 1e-8) break;
  }
  return { bias: w[0]!, weights: w.slice(1) };
}

/** Solves H·x = g for symmetric positive definite H (Cholesky). */
function solveSymmetric(h: Float64Array, g: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = h[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) l[i * d + i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i * d + j] = s / l[j * d + j]!;
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = g[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}
