import type { TaskType } from '../../config/schema.ts';
import { FEATURE_SPEC_VERSION, DEFAULT_HASHING } from '../analyze/feature-spec.ts';
import type { HashingSpec } from '../analyze/hashed-ngrams.ts';
import { featureCount, toSparseVector, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import { encodeFloats, MODEL_FILE_FORMAT, MODEL_FILE_VERSION, type PredictorFile } from './model-file.ts';
import type { OutcomeRow } from './outcome-rows.ts';
import { coarseLogit, type CoarseHead } from './coarse-logistic.ts';
import { fitPlatt } from './platt.ts';
import { coarseInputsOf, fitCoarseHeads, fitHashedHeads, sparseLogit } from './fit-heads.ts';
import { stackBlends, type ModelBlend, type PlattPair } from './stack-blends.ts';
import { DEFAULT_HASHED_LOGISTIC, type HashedHead, type HashedLogisticOptions } from './hashed-logistic.ts';
import { DEFAULT_RIDGE, type RidgeOptions } from './ridge-head.ts';
import { coarseLevel, DEFAULT_TEXT_RIDGE, fitRidgeHeads, sharedRidgeInputs, textRidgeInputs, type RidgeHeads, type TextRidgeOptions } from './fit-ridge.ts';
import { buildLayout, prepareRows, type PreparedRow } from './prepare-rows.ts';
import { assignFolds, createRng, shuffleInPlace } from './rng.ts';
import { DEFAULT_SOURCE_CLASSIFIER, type SourceClassifierOptions } from './source-classifier.ts';
import { fitSource, sourceLevelOf, type FittedSource } from './fit-source.ts';
import { fitParams, predictLogit, type FitOptions, type Params } from './sgd.ts';

export interface TrainOptions extends FitOptions {
  seed: number;
  /** Share of rows held out to fit the per-model Platt scaling (used when calibrationFolds < 2). */
  calibrationShare: number;
  /**
   * Fit Platt scaling on out-of-fold logits from this many inner folds (every row calibrates, none is
   * spent), then refit on all rows. Costs one extra fit per fold.
   */
  calibrationFolds: number;
  /** A (model, task type) pair gets its own Platt pair from this many out-of-fold outcomes on. */
  taskPlattMinRows: number;
  /** L2 of the coarse per-model logistic heads (dense + task features). */
  l2Coarse: number;
  /** Share of the per-prompt deviation kept, by task type, and for other task types (see model-file.ts). */
  blendByTask: Partial<Record<TaskType, number>>;
  blendDefault: number;
  /**
   * Learn the blend per model (and per task type with ≥ blendMinRows out-of-fold outcomes) by stacking
   * the coarse head, the full model and a per-model hashed logistic on the inner folds' out-of-fold
   * logits (blend-select.ts); blendByTask / blendDefault then only serve models without a learned blend.
   */
  stacking: boolean;
  blendMinRows: number;
  /** Allow the per-model hashed logistic into the stack (else only coarse vs full). */
  stackHashed: boolean;
  /** Then shrink each task type's blends by a factor chosen on out-of-fold routing quality (decision-shrink.ts). */
  decisionShrink: boolean;
  /** A less-shrunk ρ must beat a more-shrunk one by this much hull area (mean quality) to be chosen. */
  decisionMargin: number;
  hashedLogistic: HashedLogisticOptions;
  /**
   * Per-model TF-IDF ridge heads (ridge-head.ts), mixed into the probability:
   * p = (1 − β_task)·p_irt + β_task·p_ridge. β = 0 everywhere turns them off (no heads are stored).
   */
  ridge: RidgeOptions;
  ridgeBlendByTask: Partial<Record<TaskType, number>>;
  ridgeBlendDefault: number;
  /**
   * Round 6: a classifier of the prompt's source group (the rows' `dataset`) from text, whose soft
   * posteriors are extra inputs of the coarse heads, so the level the per-prompt heads deviate from is
   * the source's (MMLU vs ARC inside qa) rather than the task type's.
   */
  sourceClassifier: SourceClassifierOptions;
  /** The text ridge heads' own L2, weight and target level (fit-ridge.ts). */
  textRidge: TextRidgeOptions;
  /** Target level of the first (shared-bucket) ridge heads, as `textRidge.level` for the text heads. */
  ridgeLevel: 'coarse' | 'source';
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
  calibrationFolds: 3,
  taskPlattMinRows: 150,
  l2Coarse: 30,
  // Chosen by 5-fold CV on the shared data (docs/router.md): per-prompt deviations keep a quarter of their
  // size on qa and half elsewhere; fully trusted they lost to the zero router in the 11-model view.
  blendByTask: { qa: 0.25 },
  blendDefault: 0.5,
  // Stacking (learned per-model blends + hashed logistic + routing-chosen shrinkage) is implemented and
  // tested but off: in 5-fold CV it raised MMLU APGR by ≈0.003–0.007 while the RouterBench areas moved
  // within ±0.003 of the fixed blend, mostly down (docs/router.md, "What was tried").
  stacking: false,
  blendMinRows: 150,
  stackHashed: true,
  decisionShrink: true,
  decisionMargin: 0,
  hashedLogistic: DEFAULT_HASHED_LOGISTIC,
  // Chosen by 5-fold CV on the shared data (docs/router.md, round 4): on qa (MMLU + ARC, 10.8k rows) half
  // the probability comes from the TF-IDF ridge heads; elsewhere (≤ 900 rows per task) they did not help.
  ridge: DEFAULT_RIDGE,
  ridgeBlendByTask: { qa: 0.5 },
  ridgeBlendDefault: 0,
  sourceClassifier: DEFAULT_SOURCE_CLASSIFIER,
  textRidge: DEFAULT_TEXT_RIDGE,
  ridgeLevel: 'coarse',
  refitAll: true,
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
  // `ridge` may come partial from --train-options JSON (e.g. {"ridge":{"l2":4}}).
  const opts = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...options,
    ridge: { ...DEFAULT_RIDGE, ...options.ridge },
    sourceClassifier: { ...DEFAULT_SOURCE_CLASSIFIER, ...options.sourceClassifier },
    textRidge: { ...DEFAULT_TEXT_RIDGE, ...options.textRidge },
  };
  const set = buildTrainingSet(prepared, opts.hashing.buckets);
  const source = opts.sourceClassifier.enabled ? fitSource(set, opts.sourceClassifier, opts.hashing, opts.seed) : null;
  const coarseIn = coarseInputsOf(set, source && opts.sourceClassifier.coarse ? source.posteriors : undefined);
  const { logits, coarseLogits, hashedLogits, fitted } = outOfFoldLogits(set, opts, coarseIn, onProgress);
  const platt = new Map<string, PlattPair>();
  set.models.forEach((model, m) => {
    const all: number[] = [];
    const labels: number[] = [];
    const byTask = new Map<TaskType, { z: number[]; y: number[] }>();
    set.rows.forEach((row, r) => {
      const y = row.scores[model];
      const z = logits[r]![m];
      if (y === undefined || z === undefined || Number.isNaN(z)) return;
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
      if (t.z.length < opts.taskPlattMinRows) continue;
      const fit = fitPlatt(t.z, t.y);
      tasks[task] = { scale: round(fit.scale), offset: round(fit.offset) };
    }
    platt.set(model, { scale: round(global.scale), offset: round(global.offset), ...(Object.keys(tasks).length > 0 ? { byTask: tasks } : {}) });
    onProgress?.({ stage: 'calibrate', done: platt.size, total: set.models.length });
  });
  const blends = opts.stacking
    ? stackBlends(set.rows, set.models, { full: logits, coarse: coarseLogits, hashed: hashedLogits }, platt, { minRows: opts.blendMinRows, useHashed: opts.stackHashed, decisionShrink: opts.decisionShrink, decisionMargin: opts.decisionMargin })
    : new Map<string, ModelBlend>();
  let params = fitted;
  const all = Array.from({ length: prepared.length }, (_, i) => i);
  if (opts.refitAll || !params) {
    params = fitParams(set, all, opts, opts.seed, (done, total) => onProgress?.({ stage: 'refit', done, total }));
  }
  const coarse = fitCoarseHeads(set, all, opts.l2Coarse, coarseIn);
  const hashed = opts.stacking && opts.stackHashed ? fitHashedHeads(set, all, opts) : new Map<string, HashedHead>();
  const text = opts.hashing.text;
  const sets = ridgeInUse(opts) ? (text ? 2 : 1) : 0;
  const ridgeProgress = (k: number) => (done: number, total: number) => onProgress?.({ stage: 'ridge', done: k * total + done, total: sets * total });
  const level = coarseLevel(set, coarse, coarseIn);
  const fromSource = source ? sourceLevelOf(set, source) : null;
  const ridge = sets > 0 ? fitRidgeHeads(set, sharedRidgeInputs(set), all, opts.ridgeLevel === 'source' ? (fromSource ?? level) : level, opts.ridge, ridgeProgress(0)) : null;
  const t = opts.textRidge;
  const textLevel = t.level === 'source' ? (fromSource ?? level) : level;
  const textOpts = { ...opts.ridge, ...(t.l2 !== null ? { l2: t.l2 } : {}) };
  const ridgeText = sets > 1 && text ? fitRidgeHeads(set, textRidgeInputs(set, text), all, textLevel, textOpts, ridgeProgress(1)) : null;
  if (ridgeText && t.scale !== 1) for (const head of ridgeText.heads.values()) for (let j = 0; j < head.weights.length; j++) head.weights[j]! *= t.scale;
  return toPredictorFile(set, params, platt, coarse, hashed, blends, ridge, ridgeText, source?.classifier ? source : null, opts);
}

/**
 * Logits each row gets from a fit that never saw it ([row][model], NaN where the row has no outcome):
 * inner k-fold when calibrationFolds ≥ 2, else one held-out share. Calibrating on these (not on
 * training-set logits) is what shrinks per-prompt deviations that do not generalize.
 */
function outOfFoldLogits(
  set: TrainingSet,
  opts: TrainOptions,
  coarseIn: Float64Array[],
  onProgress?: (p: TrainProgress) => void,
): { logits: Float64Array[]; coarseLogits: Float64Array[]; hashedLogits: Float64Array[]; fitted: Params | null } {
  const n = set.rows.length;
  const nan = () => Array.from({ length: n }, () => new Float64Array(set.models.length).fill(Number.NaN));
  const logits = nan();
  const coarseLogits = nan();
  const hashedLogits = nan();
  const inputs = coarseIn;
  const k = opts.calibrationFolds;
  let groups: number[][];
  let fitted: Params | null = null;
  if (k >= 2) {
    const folds = assignFolds(n, k, opts.seed);
    groups = Array.from({ length: k }, () => []);
    for (let r = 0; r < n; r++) groups[folds[r]!]!.push(r);
  } else {
    const order = shuffleInPlace(Array.from({ length: n }, (_, i) => i), createRng(opts.seed));
    groups = [order.slice(0, Math.floor(n * opts.calibrationShare))];
  }
  let done = 0;
  const total = groups.length;
  for (const held of groups) {
    const heldSet = new Set(held);
    const trainIdx: number[] = [];
    for (let r = 0; r < n; r++) if (!heldSet.has(r)) trainIdx.push(r);
    const params = fitParams(set, trainIdx, opts, opts.seed + done, (d, t) => onProgress?.({ stage: 'fit', done: done * t + d, total: total * t }));
    const coarse = opts.stacking ? fitCoarseHeads(set, trainIdx, opts.l2Coarse, inputs) : null;
    const hashed = opts.stacking && opts.stackHashed ? fitHashedHeads(set, trainIdx, opts) : null;
    for (const r of held) {
      set.models.forEach((model, m) => {
        if (set.rows[r]!.scores[model] === undefined || !params.modelIndex.has(model)) return;
        logits[r]![m] = predictLogit(params, set, r, model);
        const c = coarse?.get(model);
        if (c) coarseLogits[r]![m] = coarseLogit(c, inputs[r]!);
        const h = hashed?.get(model);
        if (h) hashedLogits[r]![m] = sparseLogit(h, set.vectors[r]!);
      });
    }
    if (k < 2) fitted = params;
    done++;
  }
  return { logits, coarseLogits, hashedLogits, fitted };
}

function toPredictorFile(
  set: TrainingSet,
  params: Params,
  platt: Map<string, PlattPair>,
  coarse: Map<string, CoarseHead>,
  hashed: Map<string, HashedHead>,
  blends: Map<string, ModelBlend>,
  ridge: RidgeHeads | null,
  ridgeText: RidgeHeads | null,
  source: FittedSource | null,
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
      ...(coarse.has(id) ? { coarse: { bias: round(coarse.get(id)!.bias), weights: encodeFloats(coarse.get(id)!.weights) } } : {}),
      ...(hashed.has(id) ? { hashed: { bias: round(hashed.get(id)!.bias), weights: encodeFloats(hashed.get(id)!.weights) } } : {}),
      ...(blends.has(id) ? { blend: blends.get(id)! } : {}),
      ...(ridge?.heads.has(id) ? { ridge: encodeFloats(ridge.heads.get(id)!.weights) } : {}),
      ...(ridgeText?.heads.has(id) ? { ridgeText: encodeFloats(ridgeText.heads.get(id)!.weights) } : {}),
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
    blend: { default: opts.blendDefault, byTask: Object.fromEntries(Object.entries(opts.blendByTask).sort((a, b) => a[0].localeCompare(b[0]))) },
    ...(ridge
      ? {
          ridge: {
            idf: encodeFloats(ridge.idf),
            ...(ridgeText ? { textIdf: encodeFloats(ridgeText.idf) } : {}),
            blend: { default: opts.ridgeBlendDefault, byTask: Object.fromEntries(Object.entries(opts.ridgeBlendByTask).sort((a, b) => a[0].localeCompare(b[0]))) },
          },
        }
      : {}),
    ...(source
      ? {
          source: {
            classes: source.classifier!.classes,
            prior: Array.from(source.classifier!.prior, round),
            input: source.input,
            idf: encodeFloats(source.classifier!.idf),
            weights: encodeFloats(source.classifier!.weights),
          },
        }
      : {}),
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
        calibrationFolds: opts.calibrationFolds,
        taskPlattMinRows: opts.taskPlattMinRows,
        l2Coarse: opts.l2Coarse,
        stacking: opts.stacking,
        blendMinRows: opts.blendMinRows,
        stackHashed: opts.stackHashed,
        decisionShrink: opts.decisionShrink,
        decisionMargin: opts.decisionMargin,
        l2Hashed: opts.hashedLogistic.l2Hashed,
        refitAll: opts.refitAll,
        ridgeL2: opts.ridge.l2,
        ridgeIterations: opts.ridge.iterations,
        ...(opts.sourceClassifier.enabled
          ? { sourceInput: opts.sourceClassifier.input, sourceL2: opts.sourceClassifier.l2, sourceFolds: opts.sourceClassifier.folds, sourceCoarse: opts.sourceClassifier.coarse }
          : {}),
        ...(opts.textRidge.l2 !== null ? { textRidgeL2: opts.textRidge.l2 } : {}),
        ...(opts.textRidge.scale !== 1 ? { textRidgeScale: opts.textRidge.scale } : {}),
        ...(opts.textRidge.level !== 'coarse' ? { textRidgeLevel: opts.textRidge.level } : {}),
        ...(opts.ridgeLevel !== 'coarse' ? { ridgeLevel: opts.ridgeLevel } : {}),
      },
    },
  };
}

function ridgeInUse(opts: TrainOptions): boolean {
  return opts.ridgeBlendDefault > 0 || Object.values(opts.ridgeBlendByTask).some((b) => (b ?? 0) > 0);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
