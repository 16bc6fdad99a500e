import { sigmoid } from './ability.ts';
import { coarseInputs, coarseLogit, type CoarseHead } from './coarse-logistic.ts';
import type { TextHashingSpec } from '../analyze/hashed-ngrams.ts';
import type { PromptFeatures } from '../types.ts';
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

/** What the ridge heads read: per row a hashed vector, and the width of its space. */
export interface RidgeInputs {
  vectors: SparseVector[];
  buckets: number;
}

const EMPTY: SparseVector = { idx: new Uint32Array(0), val: new Float32Array(0) };

/** The features' text vector (feature spec ≥ 4, `hashing.text`); empty when the analysis made none. */
export function textVectorOf(features: PromptFeatures): SparseVector {
  return features.textIdx && features.textVal ? { idx: features.textIdx, val: features.textVal } : EMPTY;
}

/** The first set of ridge heads reads the shared hashed buckets of the feature vector. */
export function sharedRidgeInputs(set: RidgeSet): RidgeInputs {
  return { vectors: set.vectors, buckets: set.layout.buckets };
}

/** The second set reads the text vector: focus words and bigrams in their own, larger space (2^16). */
export function textRidgeInputs(set: RidgeSet, text: TextHashingSpec): RidgeInputs {
  return { vectors: set.rows.map((row) => textVectorOf(row.features)), buckets: text.buckets };
}

/** The level a ridge head's target is measured from: the outcome minus this, per (row, model). */
export type RidgeLevel = (row: number, model: string) => number;

/** The coarse heads' probability σ(g_m(x)) (dense + task inputs). */
export function coarseLevel(set: RidgeSet, coarse: ReadonlyMap<string, CoarseHead>, coarseIn?: readonly Float64Array[]): RidgeLevel {
  const scratch = new Float64Array(set.layout.dense.length + set.layout.taskTypes.length);
  return (r, model) => {
    const head = coarse.get(model);
    return head ? sigmoid(coarseLogit(head, coarseIn?.[r] ?? coarseInputs(set.vectors[r]!, set.layout, scratch))) : 0.5;
  };
}

/**
 * One ridge head per model on the rows it has outcomes for; the target is the outcome minus a level —
 * the model's coarse-head probability by default, so the head only learns how a prompt differs from its
 * kind (the coarse head already knows MMLU from ARC from code); the text heads' level is the source
 * level (fit-source.ts) when the rows name two or more sources. Both sets of heads are fitted this way,
 * each on its own, and their deviations add up at serving time.
 */
export function fitRidgeHeads(
  set: RidgeSet,
  input: RidgeInputs,
  rowIds: readonly number[],
  level: RidgeLevel,
  options: Partial<RidgeOptions>,
  onProgress?: (done: number, total: number) => void,
): RidgeHeads {
  const opts = { ...DEFAULT_RIDGE, ...options };
  const { buckets } = input;
  const idf = inverseDocumentFrequency(
    rowIds.map((r) => input.vectors[r]!),
    buckets,
  );
  const heads = new Map<string, RidgeHead>();
  set.models.forEach((model, m) => {
    const xs: SparseVector[] = [];
    const targets: number[] = [];
    for (const r of rowIds) {
      const y = set.rows[r]!.scores[model];
      if (y === undefined) continue;
      xs.push(input.vectors[r]!);
      targets.push(y - level(r, model));
    }
    if (xs.length > 0) heads.set(model, fitRidgeHead(xs, targets, idf, buckets, opts));
    onProgress?.(m + 1, set.models.length);
  });
  return { idf, heads };
}
