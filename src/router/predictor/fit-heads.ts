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

/**
 * φ_d of every row: the dense + task inputs of the coarse heads, then, in training, one indicator per
 * preference source (`rowSource`, sgd.ts): the head learns each model's offset on that source as a
 * weight, which the served head leaves out, so its level stays the correctness one.
 */
export function coarseInputsOf(set: HeadSet, rowSource?: Int8Array, sources = 0): Float64Array[] {
  const base = set.layout.dense.length + set.layout.taskTypes.length;
  return set.vectors.map((x, r) => {
    const out = coarseInputs(x, set.layout, new Float64Array(base + sources));
    const s = rowSource?.[r] ?? -1;
    if (s >= 0) out[base + s] = 1;
    return out;
  });
}

export function fitCoarseHeads(set: HeadSet, rowIds: readonly number[], l2: number, inputs = coarseInputsOf(set)): Map<string, CoarseHead> {
  const freeColumns = (inputs[0]?.length ?? 0) - (set.layout.dense.length + set.layout.taskTypes.length);
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
    if (ys.length > 0) heads.set(model, fitCoarseHead(xs, ys, l2, 12, freeColumns));
  }
  return heads;
}
