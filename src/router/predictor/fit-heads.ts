import { coarseInputs, fitCoarseHead, type CoarseHead } from './coarse-logistic.ts';
import { featureCount, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import { fitHashedLogistic, type HashedHead, type HashedLogisticOptions } from './hashed-logistic.ts';
import type { PreparedRow } from './prepare-rows.ts';

/** Fitting the per-model coarse and hashed heads on a subset of the training rows (inner folds or all). */
interface HeadSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

/** Dense + task inputs of every row, then (round 6) the row's source posteriors when given. */
export function coarseInputsOf(set: HeadSet, sourcePosteriors?: readonly Float64Array[]): Float64Array[] {
  const width = set.layout.dense.length + set.layout.taskTypes.length;
  const extra = sourcePosteriors?.[0]?.length ?? 0;
  return set.vectors.map((x, r) => {
    const out = new Float64Array(width + extra);
    coarseInputs(x, set.layout, out);
    if (extra > 0) out.set(sourcePosteriors![r]!, width);
    return out;
  });
}

export function fitCoarseHeads(set: HeadSet, rowIds: readonly number[], l2: number, inputs = coarseInputsOf(set)): Map<string, CoarseHead> {
  const heads = new Map<string, CoarseHead>();
  for (const model of set.models) {
    const xs: Float64Array[] = [];
    const ys: number[] = [];
    for (const r of rowIds) {
      const y = set.rows[r]!.scores[model];
      if (y === undefined) continue;
      xs.push(inputs[r]!);
      ys.push(y);
    }
    if (ys.length > 0) heads.set(model, fitCoarseHead(xs, ys, l2));
  }
  return heads;
}

export function fitHashedHeads(set: HeadSet, rowIds: readonly number[], opts: { seed: number; hashedLogistic: HashedLogisticOptions }): Map<string, HashedHead> {
  const heads = new Map<string, HashedHead>();
  const width = featureCount(set.layout);
  set.models.forEach((model, m) => {
    const xs: SparseVector[] = [];
    const ys: number[] = [];
    for (const r of rowIds) {
      const y = set.rows[r]!.scores[model];
      if (y === undefined) continue;
      xs.push(set.vectors[r]!);
      ys.push(y);
    }
    if (ys.length > 0) heads.set(model, fitHashedLogistic(xs, ys, width, set.layout.buckets, opts.hashedLogistic, opts.seed + 101 * (m + 1)));
  });
  return heads;
}

export function sparseLogit(head: HashedHead, x: SparseVector): number {
  let z = head.bias;
  for (let i = 0; i < x.idx.length; i++) z += head.weights[x.idx[i]!]! * x.val[i]!;
  return z;
}
