import type { TaskType } from '../../config/schema.ts';
import { readDenseValues } from '../analyze/dense-features.ts';
import type { PromptFeatures } from '../types.ts';

/**
 * The predictor's input: hashed n-grams in [0, buckets), then the standardized dense features, then a
 * one-hot task type. Sparse, so every head costs one pass over the non-zero entries.
 */
export interface FeatureLayout {
  buckets: number;
  dense: readonly string[];
  taskTypes: readonly TaskType[];
  mean: ArrayLike<number>;
  std: ArrayLike<number>;
}

export interface SparseVector {
  idx: Uint32Array;
  val: Float32Array;
}

export function featureCount(layout: FeatureLayout): number {
  return layout.buckets + layout.dense.length + layout.taskTypes.length;
}

/** The dense values in layout order (scratch: toSparseVector copies them out before returning). */
let rawScratch = new Float64Array(64);

export function toSparseVector(features: PromptFeatures, taskType: TaskType, layout: FeatureLayout): SparseVector {
  const hashed = features.hashedIdx.length;
  const n = hashed + layout.dense.length + 1;
  // Both halves are views of one buffer: one allocation per prompt instead of two.
  const buffer = new ArrayBuffer(8 * n);
  const idx = new Uint32Array(buffer, 0, n);
  const val = new Float32Array(buffer, 4 * n, n);
  idx.set(features.hashedIdx);
  val.set(features.hashedVal);
  const names = layout.dense;
  if (rawScratch.length < names.length) rawScratch = new Float64Array(names.length);
  readDenseValues(features.dense, names, rawScratch);
  for (let j = 0; j < names.length; j++) {
    const raw = rawScratch[j]!;
    const std = layout.std[j]!;
    idx[hashed + j] = layout.buckets + j;
    // Clipped so one odd prompt (e.g. 50 code fences) cannot swing the logit by itself.
    val[hashed + j] = clip(std > 0 ? (raw - layout.mean[j]!) / std : 0, -5, 5);
  }
  const k = hashed + names.length;
  const t = layout.taskTypes.indexOf(taskType);
  idx[k] = layout.buckets + layout.dense.length + (t < 0 ? 0 : t);
  val[k] = t < 0 ? 0 : 1;
  return { idx, val };
}

export function dot(weights: ArrayLike<number>, x: SparseVector): number {
  let s = 0;
  const { idx, val } = x;
  for (let i = 0; i < idx.length; i++) s += weights[idx[i]!]! * val[i]!;
  return s;
}

function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
