import { IrtQualityPredictor } from '../predictor/irt-predictor.ts';
import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { prepareRows, type PreparedRow } from '../predictor/prepare-rows.ts';
import { assignFolds } from '../predictor/rng.ts';
import { DEFAULT_TRAIN_OPTIONS, trainOnPrepared, type TrainOptions, type TrainProgress } from '../predictor/train.ts';
import { estimateCostUsd, fitCostLines } from './cost-estimate.ts';
import { modelsToScore } from './evaluate-routing.ts';

/** Held-out predictions for every row: each fold is scored by a model trained on the other folds only. */
export interface HeldOutPredictions {
  /** [row] model → predicted probability, for the models the row has outcomes for. */
  predicted: Array<Record<string, number>>;
  /** [row] model → cost estimate from the training folds (rows with costs only). */
  estimatedCostUsd: Array<Record<string, number>>;
  folds: Uint8Array;
  /**
   * Per fold, each model's mean outcome on that fold's training rows (correctness sources only): all a
   * zero router built from the training data could know (`trainedZeroArea` in the report).
   */
  trainingMeans?: Array<Record<string, number>>;
}

export interface CrossValidateOptions {
  /** k random folds; ignored with `byDataset`, where there is one fold per dataset. */
  folds: number;
  seed: number;
  train?: Partial<TrainOptions>;
  /**
   * Leave one dataset out: each dataset is scored by a model trained on the other datasets only, which
   * is how the router meets a kind of prompt it has no outcomes for.
   */
  byDataset?: boolean;
  /** With `byDataset`: train and score only the folds of these datasets (each still trained on all others). */
  heldOut?: readonly string[];
}

/** The fold of each row and the fold count: random, or one per distinct `dataset` (rows without one share a fold). */
export function assignCvFolds(rows: readonly OutcomeRow[], options: CrossValidateOptions): { folds: Uint8Array; count: number } {
  if (!options.byDataset) return { folds: assignFolds(rows.length, options.folds, options.seed), count: options.folds };
  const names = [...new Set(rows.map((r) => r.dataset ?? ''))];
  if (names.length < 2) throw new Error('leaving one dataset out needs rows from at least two datasets');
  const index = new Map(names.map((n, k) => [n, k]));
  return { folds: Uint8Array.from(rows, (r) => index.get(r.dataset ?? '')!), count: names.length };
}

export function crossValidate(
  rows: readonly OutcomeRow[],
  options: CrossValidateOptions,
  onProgress?: (fold: number, p: TrainProgress) => void,
  prepared?: PreparedRow[],
): HeldOutPredictions {
  const trainOpts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options.train, seed: options.train?.seed ?? options.seed };
  const all = prepared ?? prepareRows(rows, trainOpts.hashing);
  const { folds, count } = assignCvFolds(rows, options);
  const predicted: Array<Record<string, number>> = rows.map(() => ({}));
  const estimatedCostUsd: Array<Record<string, number>> = rows.map(() => ({}));
  const trainingMeans: Array<Record<string, number>> = [];
  let trained = 0;
  for (let k = 0; k < count; k++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let r = 0; r < rows.length; r++) (folds[r] === k ? testIdx : trainIdx).push(r);
    trainingMeans.push(
      meanOutcomes(
        trainIdx.map((r) => rows[r]!),
        trainOpts.preferenceSources,
      ),
    );
    if (options.byDataset && options.heldOut && !options.heldOut.includes(rows[testIdx[0]!]!.dataset ?? '')) continue;
    const file = trainOnPrepared(
      trainIdx.map((r) => all[r]!),
      trainOpts,
      (p) => onProgress?.(trained, p),
    );
    trained++;
    const predictor = new IrtQualityPredictor(file, `cv-fold-${k}`);
    const trainRows = trainIdx.map((r) => rows[r]!);
    const models = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))];
    const costLines = fitCostLines(trainRows, models);
    for (const r of testIdx) {
      const row = all[r]!;
      const item = predictor.item(row.features, row.taskType);
      for (const model of modelsToScore(rows[r]!)) {
        predicted[r]![model] = predictor.probability(item, row.taskType, { id: model });
        if (rows[r]!.costs?.[model] !== undefined) estimatedCostUsd[r]![model] = estimateCostUsd(costLines.get(model), rows[r]!.prompt.length);
      }
    }
  }
  return { predicted, estimatedCostUsd, folds, trainingMeans };
}

/** Each model's mean outcome over the rows, leaving out preference sources (their scores are not correctness). */
function meanOutcomes(rows: readonly OutcomeRow[], preferenceSources: readonly string[]): Record<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const row of rows) {
    if (preferenceSources.includes(row.dataset ?? '')) continue;
    for (const [model, y] of Object.entries(row.scores)) {
      const e = sums.get(model) ?? { sum: 0, n: 0 };
      e.sum += y;
      e.n++;
      sums.set(model, e);
    }
  }
  return Object.fromEntries([...sums].map(([model, e]) => [model, e.sum / e.n]));
}
