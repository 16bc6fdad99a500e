import type { TaskType } from '../../config/schema.ts';
import { FEATURE_SPEC_VERSION, DEFAULT_HASHING } from '../analyze/feature-spec.ts';
import type { HashingSpec } from '../analyze/hashed-ngrams.ts';
import { featureCount, toSparseVector, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import { encodeFloats, MODEL_FILE_FORMAT, MODEL_FILE_VERSION, type PredictorFile } from './model-file.ts';
import type { OutcomeRow } from './outcome-rows.ts';
import type { CoarseHead } from './coarse-logistic.ts';
import { fitPlatt } from './platt.ts';
import { coarseInputsOf, fitCoarseHeads } from './fit-heads.ts';
import { DEFAULT_RIDGE, type RidgeOptions } from './ridge-head.ts';
import { coarseLevel, fitRidgeHeads, sharedRidgeInputs, textRidgeInputs, type RidgeHeads } from './fit-ridge.ts';
import { buildLayout, prepareRows, type PreparedRow } from './prepare-rows.ts';
import { assignFolds, createRng, shuffleInPlace } from './rng.ts';
import { DEFAULT_SOURCE_CLASSIFIER, type SourceClassifierOptions } from './source-classifier.ts';
import { fitSource, sourceLevelOf } from './fit-source.ts';
import { leaveOneOutNovelty, quantiles101 } from './novelty.ts';
import { fitParams, predictLogit, preferenceIndex, type FitOptions, type Params } from './sgd.ts';

/** Options of `aigw router train` (`--train-options` JSON); docs/router.md, "Training options", lists each. */
export interface TrainOptions extends FitOptions {
  seed: number;
  /**
   * Platt scaling is fitted on out-of-fold logits from this many inner folds (≥ 2; every row calibrates,
   * none is spent), then the model is refitted on all rows. Costs one extra fit per fold.
   */
  calibrationFolds: number;
  /** A (model, task type) pair gets its own Platt pair from this many out-of-fold outcomes on. */
  taskPlattMinRows: number;
  /** L2 of the coarse per-model logistic heads g_m (dense + task features). */
  l2Coarse: number;
  /** κ: share of the IRT logit's deviation from the coarse head kept, by task type and for the others. */
  keepByTask: Partial<Record<TaskType, number>>;
  keepDefault: number;
  /** The ridge heads' L2 and conjugate-gradient steps (ridge-head.ts). */
  ridge: RidgeOptions;
  /**
   * β: share of the ridge heads' probability in the final one, p = (1 − β)·p_irt + β·r_m, by task type
   * and for the others. β = 0 everywhere turns the heads off (none are stored).
   */
  ridgeShareByTask: Partial<Record<TaskType, number>>;
  ridgeShareDefault: number;
  /** A model gets ridge heads only with this many rows in task types with β > 0 (keeps the file small). */
  ridgeMinRows: number;
  /**
   * τ: prompts with trust below it (more novel than a share 1 − τ of the training prompts, novelty.ts)
   * keep trust/τ of their per-prompt deviation from the task level. 0 turns it off.
   */
  trustFull: number;
  /** The source classifier that sets the text ridge heads' target level (training only, fit-source.ts). */
  sourceClassifier: SourceClassifierOptions;
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
  calibrationFolds: 3,
  taskPlattMinRows: 150,
  l2Coarse: 30,
  // Chosen by 5-fold CV on the shared data (docs/router.md): per-prompt deviations keep a quarter of their
  // size on qa and half elsewhere; fully trusted they lost to the zero router in the 11-model view.
  keepByTask: { qa: 0.25 },
  keepDefault: 0.5,
  // Chosen by 5-fold CV on the shared data (docs/router-history.md): on qa (MMLU + ARC, 10.8k rows) half
  // the probability comes from the TF-IDF ridge heads; elsewhere (≤ 900 rows per task) they did not help.
  ridge: DEFAULT_RIDGE,
  ridgeShareByTask: { qa: 0.5 },
  ridgeShareDefault: 0,
  ridgeMinRows: 1000,
  trustFull: 0.05,
  // AlpacaEval's scores are judged preferences (docs/router.md, "Preference and correctness").
  preferenceSources: ['alpacaeval'],
  l2SourceOffset: 0.01,
  sourceClassifier: DEFAULT_SOURCE_CLASSIFIER,
  hashing: DEFAULT_HASHING,
};

export interface TrainProgress {
  stage: 'features' | 'fit' | 'calibrate' | 'refit' | 'ridge';
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

export function trainPredictor(rows: readonly OutcomeRow[], options: Partial<TrainOptions> = {}, onProgress?: (p: TrainProgress) => void): PredictorFile {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const prepared = prepareRows(rows, opts.hashing, (done, total) => onProgress?.({ stage: 'features', done, total }));
  return trainOnPrepared(prepared, opts, onProgress);
}

export function trainOnPrepared(prepared: PreparedRow[], options: Partial<TrainOptions>, onProgress?: (p: TrainProgress) => void): PredictorFile {
  // `ridge` and `sourceClassifier` may come partial from --train-options JSON (e.g. {"ridge":{"l2":4}}).
  const opts = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...options,
    ridge: { ...DEFAULT_RIDGE, ...options.ridge },
    sourceClassifier: { ...DEFAULT_SOURCE_CLASSIFIER, ...options.sourceClassifier },
  };
  const set = buildTrainingSet(prepared, opts.hashing.buckets);
  const rowSource = preferenceIndex(set.rows, opts.preferenceSources);
  const served = servedModels(set, rowSource);
  const logits = outOfFoldLogits(set, opts, onProgress);
  const platt = new Map<string, PlattPair>();
  set.models.forEach((model, m) => {
    if (!served.includes(model)) return;
    platt.set(model, fitModelPlatt(set, logits, m, opts.taskPlattMinRows, rowSource));
    onProgress?.({ stage: 'calibrate', done: platt.size, total: served.length });
  });
  const all = Array.from({ length: prepared.length }, (_, i) => i);
  const params = fitParams(set, all, opts, opts.seed, (done, total) => onProgress?.({ stage: 'refit', done, total }));
  const coarseIn = coarseInputsOf(set, rowSource, opts.preferenceSources.length);
  const coarse = fitCoarseHeads({ ...set, models: served }, all, opts.l2Coarse, coarseIn);
  const ridge = ridgeInUse(opts) ? fitBothRidgeHeads({ ...set, models: served }, all, coarse, coarseIn, opts, onProgress) : { shared: null, text: null };
  const file = toPredictorFile({ ...set, models: served }, params, platt, coarse, ridge.shared, ridge.text, opts);
  return ridge.shared ? { ...file, novelty: noveltyRecord(set, opts) } : file;
}

/** The training prompts' novelty quantiles on the space whose idf the file stores (text when it has one). */
function noveltyRecord(set: TrainingSet, opts: TrainOptions): NonNullable<PredictorFile['novelty']> {
  const text = opts.hashing.text;
  const input = text ? textRidgeInputs(set, text) : sharedRidgeInputs(set);
  const u = leaveOneOutNovelty(input.vectors, input.buckets);
  return { space: text ? 'text' : 'shared', quantiles: quantiles101(u).map(round), trustFull: opts.trustFull };
}

interface PlattPair {
  scale: number;
  offset: number;
  byTask?: Record<string, { scale: number; offset: number }>;
}

/** Platt (s, t) of one model on its out-of-fold logits, and per task type with enough of them. */
function fitModelPlatt(set: TrainingSet, logits: Float64Array[], m: number, taskPlattMinRows: number, rowSource: Int8Array): PlattPair {
  const model = set.models[m]!;
  const all: number[] = [];
  const labels: number[] = [];
  const byTask = new Map<TaskType, { z: number[]; y: number[] }>();
  set.rows.forEach((row, r) => {
    const y = row.scores[model];
    const z = logits[r]![m];
    // Calibrated on the correctness scale only: the served probability has no preference offset.
    if (y === undefined || z === undefined || Number.isNaN(z) || rowSource[r]! >= 0) return;
    all.push(z);
    labels.push(y);
    const t = byTask.get(row.taskType) ?? { z: [], y: [] };
    t.z.push(z);
    t.y.push(y);
    byTask.set(row.taskType, t);
  });
  const global = all.length >= 20 ? fitPlatt(all, labels) : { scale: 1, offset: 0 };
  const tasks: Record<string, { scale: number; offset: number }> = {};
  for (const [task, t] of [...byTask].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (t.z.length < taskPlattMinRows) continue;
    const fit = fitPlatt(t.z, t.y);
    tasks[task] = { scale: round(fit.scale), offset: round(fit.offset) };
  }
  return { scale: round(global.scale), offset: round(global.offset), ...(Object.keys(tasks).length > 0 ? { byTask: tasks } : {}) };
}

/**
 * The shared-bucket ridge heads (target: outcome − σ(g_m)) and, when the hashing spec has a text space,
 * the text heads (target: outcome − the source level when the rows name ≥ 2 sources, else − σ(g_m)).
 */
function fitBothRidgeHeads(
  set: TrainingSet,
  all: readonly number[],
  coarse: Map<string, CoarseHead>,
  coarseIn: Float64Array[],
  opts: TrainOptions,
  onProgress?: (p: TrainProgress) => void,
): { shared: RidgeHeads; text: RidgeHeads | null } {
  const text = opts.hashing.text;
  const sets = text ? 2 : 1;
  const progress = (k: number) => (done: number, total: number) => onProgress?.({ stage: 'ridge', done: k * total + done, total: sets * total });
  const level = coarseLevel(set, coarse, coarseIn);
  const heads = { ...set, models: ridgeModels(set, opts) };
  const shared = fitRidgeHeads(heads, sharedRidgeInputs(set), all, level, opts.ridge, progress(0));
  if (!text) return { shared, text: null };
  const source = opts.sourceClassifier.enabled ? fitSource(set, opts.sourceClassifier, opts.seed) : null;
  const textLevel = source ? sourceLevelOf(set, source) : level;
  return { shared, text: fitRidgeHeads(heads, textRidgeInputs(set, text), all, textLevel, opts.ridge, progress(1)) };
}

/**
 * The models the file serves: those with correctness rows. A model seen only in preference data has a
 * level on the preference scale alone, which no served probability may use (its rows still train b(x)).
 */
function servedModels(set: TrainingSet, rowSource: Int8Array): string[] {
  const correct = new Set<string>();
  set.rows.forEach((row, r) => {
    if (rowSource[r]! < 0) for (const m of Object.keys(row.scores)) correct.add(m);
  });
  return set.models.filter((m) => correct.has(m));
}

/** The models with ≥ ridgeMinRows rows in task types where β > 0. */
function ridgeModels(set: TrainingSet, opts: TrainOptions): string[] {
  const share = (t: TaskType) => opts.ridgeShareByTask[t] ?? opts.ridgeShareDefault;
  const rows = new Map<string, number>();
  for (const row of set.rows) {
    if (share(row.taskType) <= 0) continue;
    for (const m of Object.keys(row.scores)) rows.set(m, (rows.get(m) ?? 0) + 1);
  }
  return set.models.filter((m) => (rows.get(m) ?? 0) >= opts.ridgeMinRows);
}

/**
 * Logits each row gets from a fit that never saw it ([row][model], NaN where the row has no outcome),
 * from `calibrationFolds` inner folds. Calibrating on these (not on training-set logits) is what shrinks
 * per-prompt deviations that do not generalize.
 */
function outOfFoldLogits(set: TrainingSet, opts: TrainOptions, onProgress?: (p: TrainProgress) => void): Float64Array[] {
  const n = set.rows.length;
  const logits = Array.from({ length: n }, () => new Float64Array(set.models.length).fill(Number.NaN));
  const k = Math.max(2, opts.calibrationFolds);
  const folds = assignFolds(n, k, opts.seed);
  for (let f = 0; f < k; f++) {
    const trainIdx: number[] = [];
    const held: number[] = [];
    for (let r = 0; r < n; r++) (folds[r] === f ? held : trainIdx).push(r);
    const params = fitParams(set, trainIdx, opts, opts.seed + f, (d, t) => onProgress?.({ stage: 'fit', done: f * t + d, total: k * t }));
    for (const r of held) {
      set.models.forEach((model, m) => {
        if (set.rows[r]!.scores[model] === undefined || !params.modelIndex.has(model)) return;
        logits[r]![m] = predictLogit(params, set, r, model);
      });
    }
  }
  return logits;
}

function toPredictorFile(
  set: TrainingSet,
  params: Params,
  platt: Map<string, PlattPair>,
  coarse: Map<string, CoarseHead>,
  ridge: RidgeHeads | null,
  ridgeText: RidgeHeads | null,
  opts: TrainOptions,
): PredictorFile {
  const { layout } = set;
  const n = featureCount(layout);
  const b = new Float64Array(set.rows.length);
  const a = new Float64Array(set.rows.length);
  set.vectors.forEach((x, r) => {
    let sb = params.u0;
    let sa = params.v0;
    for (let i = 0; i < x.idx.length; i++) {
      sb += params.u[x.idx[i]!]! * x.val[i]!;
      sa += params.v[x.idx[i]!]! * x.val[i]!;
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

  const sources = correctnessSources(set, opts.preferenceSources);
  const models: PredictorFile['models'] = {};
  for (const id of set.models) {
    const m = params.modelIndex.get(id)!;
    const theta: Record<string, number> = {};
    const rows: Record<string, number> = {};
    for (const [task, count] of params.taskRows[m]!) {
      rows[task] = count;
      theta[task] = round(params.theta[m]! + (params.delta[m]!.get(task as TaskType) ?? 0));
    }
    models[id] = {
      thetaBase: round(params.theta[m]!),
      theta,
      rows,
      residual: params.w ? { bias: round(params.c[m]!), weights: encodeFloats(params.w[m]!) } : null,
      platt: platt.get(id) ?? { scale: 1, offset: 0 },
      ...(coarse.has(id) ? { coarse: servedCoarse(coarse.get(id)!, layout) } : {}),
      ...(ridge?.heads.has(id) ? { ridge: encodeFloats(ridge.heads.get(id)!.weights) } : {}),
      ...(ridgeText?.heads.has(id) ? { ridgeText: encodeFloats(ridgeText.heads.get(id)!.weights) } : {}),
      ...(sources.get(id)?.size ? { sources: [...sources.get(id)!].sort() } : {}),
    };
  }
  return {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    featureSpec: { version: FEATURE_SPEC_VERSION, hashing: opts.hashing, dense: [...layout.dense], taskTypes: [...layout.taskTypes] },
    standardization: { mean: Array.from(layout.mean, round), std: Array.from(layout.std, round) },
    difficulty: { bias: round(params.u0), weights: encodeFloats(params.u.subarray(0, n)) },
    discrimination: { bias: round(params.v0), weights: encodeFloats(params.v.subarray(0, n)) },
    models,
    keep: { default: opts.keepDefault, byTask: sortedByTask(opts.keepByTask) },
    ...(ridge
      ? {
          ridge: {
            idf: encodeFloats(ridge.idf),
            ...(ridgeText ? { textIdf: encodeFloats(ridgeText.idf) } : {}),
            share: { default: opts.ridgeShareDefault, byTask: sortedByTask(opts.ridgeShareByTask) },
          },
        }
      : {}),
    typicalPrompts: { a: sample.map((r) => round(a[r]!)), b: sample.map((r) => round(b[r]!)) },
    difficultyQuantiles: quantiles,
    training: {
      seed: opts.seed,
      rows: set.rows.length,
      observations: set.rows.reduce((s, r) => s + Object.keys(r.scores).length, 0),
      options: trainingOptionsRecord(opts),
    },
  };
}

/** The options a file was trained with, as recorded in `training.options`. */
function trainingOptionsRecord(opts: TrainOptions): Record<string, number | boolean | string> {
  return {
    epochs: opts.epochs,
    learningRate: opts.learningRate,
    l2Difficulty: opts.l2Difficulty,
    l2Discrimination: opts.l2Discrimination,
    l2Residual: opts.l2Residual,
    l2TaskAbility: opts.l2TaskAbility,
    residual: opts.residual,
    l2Dense: opts.l2Dense,
    calibrationFolds: opts.calibrationFolds,
    taskPlattMinRows: opts.taskPlattMinRows,
    l2Coarse: opts.l2Coarse,
    ridgeL2: opts.ridge.l2,
    ridgeIterations: opts.ridge.iterations,
    ridgeMinRows: opts.ridgeMinRows,
    trustFull: opts.trustFull,
    preferenceSources: opts.preferenceSources.join(','),
    l2SourceOffset: opts.l2SourceOffset,
    sourceClassifier: opts.sourceClassifier.enabled,
    sourceL2: opts.sourceClassifier.l2,
    sourceFolds: opts.sourceClassifier.folds,
  };
}

/** Per model, the named correctness sources it has rows in. */
function correctnessSources(set: TrainingSet, preferenceSources: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const row of set.rows) {
    if (row.source === undefined || preferenceSources.includes(row.source)) continue;
    for (const m of Object.keys(row.scores)) out.set(m, (out.get(m) ?? new Set()).add(row.source));
  }
  return out;
}

/** A coarse head as served: the dense + task weights, without the preference-source columns. */
function servedCoarse(head: CoarseHead, layout: FeatureLayout): { bias: number; weights: string } {
  return { bias: round(head.bias), weights: encodeFloats(head.weights.subarray(0, layout.dense.length + layout.taskTypes.length)) };
}

function sortedByTask(byTask: Partial<Record<TaskType, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(byTask).sort((a, b) => a[0].localeCompare(b[0]))) as Record<string, number>;
}

function ridgeInUse(opts: TrainOptions): boolean {
  return opts.ridgeShareDefault > 0 || Object.values(opts.ridgeShareByTask).some((b) => (b ?? 0) > 0);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
