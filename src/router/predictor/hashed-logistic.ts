import { sigmoid } from './ability.ts';
import type { SparseVector } from './feature-vector.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/**
 * A plain per-model logistic regression on the whole feature vector (hashed n-grams, dense features,
 * task one-hot), with no shared difficulty. It ranks a known strong/weak pair by wording alone — the
 * signal the IRT backbone averages away — and is mixed into the final logit with a weight chosen on
 * out-of-fold predictions (see blend-select.ts), so it only counts where it helps held-out log loss.
 */
export interface HashedLogisticOptions {
  epochs: number;
  learningRate: number;
  /** L2 on hashed coordinates (many, sparse, easy to memorize). */
  l2Hashed: number;
  /** L2 on the dense and task coordinates. */
  l2Dense: number;
}

export const DEFAULT_HASHED_LOGISTIC: HashedLogisticOptions = { epochs: 3, learningRate: 0.05, l2Hashed: 0.3, l2Dense: 0.01 };

export interface HashedHead {
  bias: number;
  weights: Float64Array;
}

const EPS = 1e-8;

/** AdaGrad SGD on log loss with lazy L2 (applied to the coordinates a row touches); deterministic for a seed. */
export function fitHashedLogistic(
  vectors: readonly SparseVector[],
  labels: readonly number[],
  width: number,
  buckets: number,
  opts: HashedLogisticOptions,
  seed: number,
): HashedHead {
  const w = new Float64Array(width);
  const g2 = new Float64Array(width);
  // Start at the base rate so the weights only learn how prompts differ.
  let positives = 0;
  for (const y of labels) positives += y;
  const rate = (positives + 1) / (labels.length + 2);
  let bias = Math.log(rate / (1 - rate));
  let gBias = 0;
  const order = shuffleInPlace(
    Array.from({ length: vectors.length }, (_, i) => i),
    createRng(seed),
  );
  const rng = createRng(seed + 1);
  const lr = opts.learningRate;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    if (epoch > 0) shuffleInPlace(order, rng);
    for (const r of order) {
      const x = vectors[r]!;
      let z = bias;
      for (let i = 0; i < x.idx.length; i++) z += w[x.idx[i]!]! * x.val[i]!;
      const g = sigmoid(z) - labels[r]!;
      for (let i = 0; i < x.idx.length; i++) {
        const j = x.idx[i]!;
        const gj = g * x.val[i]! + (j < buckets ? opts.l2Hashed : opts.l2Dense) * w[j]!;
        g2[j]! += gj * gj;
        w[j]! -= (lr * gj) / (Math.sqrt(g2[j]!) + EPS);
      }
      gBias += g * g;
      bias -= (lr * g) / (Math.sqrt(gBias) + EPS);
    }
  }
  return { bias, weights: w };
}
