import type { HashingSpec } from '../analyze/hashed-ngrams.ts';
import { sharedRidgeInputs, textRidgeInputs, type RidgeLevel } from './fit-ridge.ts';
import type { FeatureLayout, SparseVector } from './feature-vector.ts';
import type { PreparedRow } from './prepare-rows.ts';
import {
  fitSourceClassifier,
  outOfFoldPosteriors,
  sourceLabels,
  sourceLevel,
  sourceMeans,
  type SourceClassifier,
  type SourceClassifierOptions,
} from './source-classifier.ts';

/** Fitting the source classifier (source-classifier.ts) on a training set, for train.ts. */
interface SourceSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

export interface FittedSource {
  classes: string[];
  /** The classifier fitted on all rows, for serving (null when serving does not use it: `coarse` off). */
  classifier: SourceClassifier | null;
  /** The training rows' own posteriors, each from inner folds that never saw the row. */
  posteriors: Float64Array[];
  input: 'text' | 'shared';
  labels: Int32Array;
}

/**
 * The source classifier for serving (all rows) and the training rows' own posteriors (inner folds, so
 * the coarse heads learn from posteriors as uncertain as the ones serving will see). Null with < 2 sources.
 */
export function fitSource(set: SourceSet, opts: SourceClassifierOptions, hashing: HashingSpec, seed: number): FittedSource | null {
  const kind = opts.input === 'text' && hashing.text ? 'text' : 'shared';
  const input = kind === 'text' ? textRidgeInputs(set, hashing.text!) : sharedRidgeInputs(set);
  const { classes, labels } = sourceLabels(set.rows.map((r) => r.source));
  if (new Set(Array.from(labels).filter((k) => k >= 0)).size < 2) return null;
  const classifier = opts.coarse ? fitSourceClassifier(input.vectors, labels, classes, input.buckets, opts) : null;
  const posteriors = outOfFoldPosteriors(input.vectors, labels, classes, input.buckets, opts, seed + 13);
  return { classes, classifier, posteriors, input: kind, labels };
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
