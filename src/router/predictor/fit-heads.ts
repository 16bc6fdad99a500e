import { coarseInputs, fitCoarseHead, type CoarseHead } from './coarse-logistic.ts';
import type { FeatureLayout, SparseVector } from './feature-vector.ts';
import type { PreparedRow } from './prepare-rows.ts';

/** Fitting the per-model coarse heads g_m on a subset of the training rows. */
interface HeadSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

/** φ_d of every row: the dense + task inputs of the coarse heads. */
export function coarseInputsOf(set: HeadSet): Float64Array[] {
  const width = set.layout.dense.length + set.layout.taskTypes.length;
  return set.vectors.map((x) => coarseInputs(x, set.layout, new Float64Array(width)));
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
