import type { TaskType } from '../../config/schema.ts';
import { FEATURE_SPEC_VERSION, DEFAULT_HASHING } from '../analyze/feature-spec.ts';
import type { HashingSpec } from '../analyze/hashed-ngrams.ts';
import { featureCount, toSparseVector, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import { encodeFloats, MODEL_FILE_FORMAT, MODEL_FILE_VERSION, type PredictorFile } from './model-file.ts';
import type { OutcomeRow } from './outcome-rows.ts';
import { fitPlatt } from './platt.ts';
import { buildLayout, prepareRows, type PreparedRow } from './prepare-rows.ts';
import { createRng, shuffleInPlace } from './rng.ts';
import { fitParams, predictLogit, type FitOptions, type Params } from './sgd.ts';

export interface TrainOptions extends FitOptions {
  seed: number;
  /** Share of rows held out to fit the per-model Platt scaling. */
  calibrationShare: number;
  /** After calibrating, refit on every row (keeping the calibration) rather than shipping the smaller fit. */
  refitAll: boolean;
  hashing: HashingSpec;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 42,
  epochs: 3,
  learningRate: 0.05,
  l2Difficulty: 0.1,
  l2Discrimination: 1,
  l2Residual: 0.3,
  l2TaskAbility: 0.01,
  residual: true,
  l2Dense: 0.01,
  calibrationShare: 0.15,
  refitAll: true,
  hashing: DEFAULT_HASHING,
};

export interface TrainProgress {
  stage: 'features' | 'fit' | 'calibrate' | 'refit';
  done: number;
  total: number;
}

export interface TrainingSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

export function buildTrainingSet(rows: PreparedRow[], buckets: number): TrainingSet {
  const layout = buildLayout(rows, buckets);
  const vectors = rows.map((r) => toSparseVector(r.features, r.taskType, layout));
  const models = [...new Set(rows.flatMap((r) => Object.keys(r.scores)))].sort();
  return { rows, vectors, layout, models };
}

export function trainPredictor(
  rows: readonly OutcomeRow[],
  options: Partial<TrainOptions> = {},
  onProgress?: (p: TrainProgress) => void,
): PredictorFile {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const prepared = prepareRows(rows, opts.hashing, (done, total) => onProgress?.({ stage: 'features', done, total }));
  return trainOnPrepared(prepared, opts, onProgress);
}

export function trainOnPrepared(prepared: PreparedRow[], options: Partial<TrainOptions>, onProgress?: (p: TrainProgress) => void): PredictorFile {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const set = buildTrainingSet(prepared, opts.hashing.buckets);
  const order = shuffleInPlace(
    Array.from({ length: prepared.length }, (_, i) => i),
    createRng(opts.seed),
  );
  const holdout = Math.floor(order.length * opts.calibrationShare);
  const calibrationRows = order.slice(0, holdout);
  const fitRows = order.slice(holdout);
  let params = fitParams(set, fitRows, opts, opts.seed, (done, total) => onProgress?.({ stage: 'fit', done, total }));

  const platt = new Map<string, { scale: number; offset: number }>();
  for (const model of set.models) {
    const logits: number[] = [];
    const labels: number[] = [];
    for (const r of calibrationRows) {
      const y = set.rows[r]!.scores[model];
      if (y === undefined) continue;
      logits.push(predictLogit(params, set, r, model));
      labels.push(y);
    }
    platt.set(model, logits.length >= 20 ? fitPlatt(logits, labels) : { scale: 1, offset: 0 });
    onProgress?.({ stage: 'calibrate', done: platt.size, total: set.models.length });
  }
  if (opts.refitAll && holdout > 0) {
    params = fitParams(set, order, opts, opts.seed, (done, total) => onProgress?.({ stage: 'refit', done, total }));
  }
  return toPredictorFile(set, params, platt, opts);
}

function toPredictorFile(
  set: TrainingSet,
  params: Params,
  platt: Map<string, { scale: number; offset: number }>,
  opts: TrainOptions,
): PredictorFile {
  const { layout } = set;
  const n = featureCount(layout);
  const b = new Float64Array(set.rows.length);
  const a = new Float64Array(set.rows.length);
  set.vectors.forEach((x, r) => {
    let sb = params.bb;
    let sa = params.ba;
    for (let i = 0; i < x.idx.length; i++) {
      sb += params.wb[x.idx[i]!]! * x.val[i]!;
      sa += params.wa[x.idx[i]!]! * x.val[i]!;
    }
    b[r] = sb;
    a[r] = Math.exp(Math.max(-3, Math.min(3, sa)));
  });
  const sortedB = Float64Array.from(b).sort();
  const quantiles = Array.from({ length: 101 }, (_, q) => round(sortedB[Math.min(sortedB.length - 1, Math.floor((q / 100) * (sortedB.length - 1)))] ?? 0));
  const sample = shuffleInPlace(
    Array.from({ length: set.rows.length }, (_, i) => i),
    createRng(opts.seed + 7),
  ).slice(0, 256);

  const models: PredictorFile['models'] = {};
  set.models.forEach((id, m) => {
    const theta: Record<string, number> = {};
    const rows: Record<string, number> = {};
    for (const [task, count] of params.taskRows[m]!) {
      rows[task] = count;
      theta[task] = round(params.thetaBase[m]! + (params.thetaTask[m]!.get(task as TaskType) ?? 0));
    }
    models[id] = {
      thetaBase: round(params.thetaBase[m]!),
      theta,
      rows,
      residual: params.wr ? { bias: round(params.br[m]!), weights: encodeFloats(params.wr[m]!) } : null,
      platt: platt.get(id) ?? { scale: 1, offset: 0 },
    };
  });
  return {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    featureSpec: { version: FEATURE_SPEC_VERSION, hashing: opts.hashing, dense: [...layout.dense], taskTypes: [...layout.taskTypes] },
    standardization: { mean: Array.from(layout.mean, round), std: Array.from(layout.std, round) },
    difficulty: { bias: round(params.bb), weights: encodeFloats(params.wb.subarray(0, n)) },
    discrimination: { bias: round(params.ba), weights: encodeFloats(params.wa.subarray(0, n)) },
    models,
    typicalPrompts: { a: sample.map((r) => round(a[r]!)), b: sample.map((r) => round(b[r]!)) },
    difficultyQuantiles: quantiles,
    training: {
      seed: opts.seed,
      rows: set.rows.length,
      observations: set.rows.reduce((s, r) => s + Object.keys(r.scores).length, 0),
      options: {
        epochs: opts.epochs,
        learningRate: opts.learningRate,
        l2Difficulty: opts.l2Difficulty,
        l2Discrimination: opts.l2Discrimination,
        l2Residual: opts.l2Residual,
        l2TaskAbility: opts.l2TaskAbility,
        residual: opts.residual,
        l2Dense: opts.l2Dense,
        calibrationShare: opts.calibrationShare,
        refitAll: opts.refitAll,
      },
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
