import type { TaskType } from '../../config/schema.ts';
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
  const dense = features.dense;
  // The analyzer's dense object holds the layout's features in the layout's order: walked with for-in,
  // each read is a field load. Reading `dense[name]` name by name is a megamorphic keyed lookup per
  // feature (~8k instructions per prompt); from the first name out of order on, that generic read.
  let j = 0;
  for (const name in dense) {
    if (j === names.length || name !== names[j]) break;
    setDense(idx, val, hashed, j, dense[name], layout);
    j++;
  }
  for (; j < names.length; j++) setDense(idx, val, hashed, j, dense[names[j]!], layout);
  const k = hashed + names.length;
  const t = layout.taskTypes.indexOf(taskType);
  idx[k] = layout.buckets + layout.dense.length + (t < 0 ? 0 : t);
  val[k] = t < 0 ? 0 : 1;
  return { idx, val };
}

/** Dense feature j at position hashed + j: standardized with the layout's mean and std. */
function setDense(idx: Uint32Array, val: Float32Array, hashed: number, j: number, value: number | undefined, layout: FeatureLayout): void {
  const raw = value ?? 0;
  const std = layout.std[j]!;
  idx[hashed + j] = layout.buckets + j;
  // Clipped so one odd prompt (e.g. 50 code fences) cannot swing the logit by itself.
  val[hashed + j] = clip(std > 0 ? (raw - layout.mean[j]!) / std : 0, -5, 5);
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
