import { sharedRidgeInputs, type RidgeLevel } from './fit-ridge.ts';
import type { FeatureLayout, SparseVector } from './feature-vector.ts';
import type { PreparedRow } from './prepare-rows.ts';
import { outOfFoldPosteriors, sourceLabels, sourceLevel, sourceMeans, type SourceClassifierOptions } from './source-classifier.ts';

/** Fitting the source classifier (source-classifier.ts) on a training set, for train.ts. */
interface SourceSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

export interface FittedSource {
  classes: string[];
  /** The training rows' own posteriors, each from inner folds that never saw the row. */
  posteriors: Float64Array[];
  labels: Int32Array;
}

/**
 * The training rows' source posteriors over the shared hashed buckets, each from a classifier fitted on
 * inner folds that never saw the row (in-sample ones would be near-certain). Null with < 2 sources.
 */
export function fitSource(set: SourceSet, opts: SourceClassifierOptions, seed: number): FittedSource | null {
  const input = sharedRidgeInputs(set);
  const { classes, labels } = sourceLabels(set.rows.map((r) => r.source));
  if (new Set(Array.from(labels).filter((k) => k >= 0)).size < 2) return null;
  const posteriors = outOfFoldPosteriors(input.vectors, labels, classes, input.buckets, opts, seed + 13);
  return { classes, posteriors, labels };
}

/** A training row's source level per model: its out-of-fold posteriors times the model's per-source means. */
export function sourceLevelOf(set: SourceSet, source: FittedSource): RidgeLevel {
  const means = sourceMeans(
    set.rows.map((r) => r.scores),
    source.labels,
    source.classes.length,
    set.models,
  );
  return (r, model) => sourceLevel(means.get(model)!, source.posteriors[r]!);
}
