import { sigmoid } from './ability.ts';
import { coarseInputs, coarseLogit, type CoarseHead } from './coarse-logistic.ts';
import type { FeatureLayout, SparseVector } from './feature-vector.ts';
import type { PreparedRow } from './prepare-rows.ts';
import { DEFAULT_RIDGE, fitRidgeHead, inverseDocumentFrequency, type RidgeHead, type RidgeOptions } from './ridge-head.ts';

export interface RidgeHeads {
  idf: Float32Array;
  heads: Map<string, RidgeHead>;
}

interface RidgeSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

/**
 * One ridge head per model on the rows it has outcomes for; the target is the outcome minus the model's
 * coarse-head probability, so the head only learns how a prompt differs from its kind (the coarse head
 * already knows MMLU from ARC from code).
 */
export function fitRidgeHeads(
  set: RidgeSet,
  rowIds: readonly number[],
  coarse: ReadonlyMap<string, CoarseHead>,
  options: Partial<RidgeOptions>,
  onProgress?: (done: number, total: number) => void,
): RidgeHeads {
  const opts = { ...DEFAULT_RIDGE, ...options };
  const { buckets } = set.layout;
  const idf = inverseDocumentFrequency(
    rowIds.map((r) => set.vectors[r]!),
    buckets,
  );
  const inputs = new Float64Array(set.layout.dense.length + set.layout.taskTypes.length);
  const heads = new Map<string, RidgeHead>();
  set.models.forEach((model, m) => {
    const head = coarse.get(model);
    const xs: SparseVector[] = [];
    const targets: number[] = [];
    for (const r of rowIds) {
      const y = set.rows[r]!.scores[model];
      if (y === undefined) continue;
      const x = set.vectors[r]!;
      xs.push(x);
      targets.push(y - (head ? sigmoid(coarseLogit(head, coarseInputs(x, set.layout, inputs))) : 0.5));
    }
    if (xs.length > 0) heads.set(model, fitRidgeHead(xs, targets, idf, buckets, opts));
    onProgress?.(m + 1, set.models.length);
  });
  return { idf, heads };
}
