import type { TaskType } from '../../config/schema.ts';
import { refineAbility, sigmoid } from '../predictor/ability.ts';
import type { SparseVector } from '../predictor/feature-vector.ts';
import { createRng, shuffleInPlace } from '../predictor/rng.ts';
import type { LearnedModel, LearnedState } from './learned-state.ts';
import { indicesBy } from '../../util/indices-by.ts';

/** One scored outcome as the fitter sees it: the predictor's view of the prompt, the model and the score. */
export interface FitOutcome {
  model: string;
  taskType: TaskType;
  x: SparseVector;
  /** a(x) of the live predictor. */
  discrimination: number;
  /** Logit of the live predictor's P(model answers well) before any learned shift. */
  baseLogit: number;
  score: number;
  /** When the outcome was scored (its time order: the online ridge heads hold out the newest rows). */
  atMs?: number;
}

export interface FitOptions {
  /** How many outcomes the prior (catalog or shipped ability) is worth. */
  priorStrength: number;
  /** L2 of the residual head; 0 turns the residual off. */
  residualL2: number;
  residualEpochs: number;
  residualLearningRate: number;
  /** A model's residual is fitted once it has this many outcomes (fewer only move its abilities). */
  residualMinOutcomes: number;
  /** Alternations of (abilities, residual). */
  rounds: number;
}

export const DEFAULT_FIT: FitOptions = {
  priorStrength: 20,
  residualL2: 0.01,
  residualEpochs: 4,
  residualLearningRate: 0.1,
  residualMinOutcomes: 100,
  rounds: 2,
};

function clampLogit(z: number): number {
  return z < -12 ? -12 : z > 12 ? 12 : z;
}

export function logit(p: number): number {
  const q = p < 1e-6 ? 1e-6 : p > 1 - 1e-6 ? 1 - 1e-6 : p;
  return Math.log(q / (1 - q));
}

/** A residual head: dense weights for speed while fitting, packed to the non-zero ones afterwards. */
class SparseResidual {
  readonly w: Float64Array;
  bias = 0;
  constructor(width: number) {
    this.w = new Float64Array(width);
  }
  scale(factor: number): void {
    this.bias *= factor;
    for (let j = 0; j < this.w.length; j++) this.w[j]! *= factor;
  }
  value(x: SparseVector): number {
    let s = this.bias;
    for (let i = 0; i < x.idx.length; i++) s += this.w[x.idx[i]!]! * x.val[i]!;
    return s;
  }
}

function widthOf(outcomes: readonly FitOutcome[]): number {
  let max = 0;
  for (const o of outcomes) for (let i = 0; i < o.x.idx.length; i++) if (o.x.idx[i]! > max) max = o.x.idx[i]!;
  return max + 1;
}

/**
 * Fits one model: ability shifts per task type by `refineAbility` (MAP, prior = the live ability), then a
 * residual logistic head with those shifts as offset, alternated `rounds` times. Deterministic for a
 * given list of outcomes (seeded order), so replicas that fit the same rows get the same state.
 */
export function fitModel(outcomes: readonly FitOutcome[], opts: FitOptions, seed: number): LearnedModel {
  const withResidual = opts.residualL2 > 0 && outcomes.length >= opts.residualMinOutcomes;
  if (!withResidual) return fitOnce(outcomes, opts, seed, 0);
  // A per-prompt head on a few hundred outcomes can hurt as easily as help: every 5th outcome (a fixed
  // split) is held out, and the head is kept at the scale (0, ½ or 1) with the lowest held-out log loss.
  const train = outcomes.filter((_, i) => i % 5 !== 0);
  const held = outcomes.filter((_, i) => i % 5 === 0);
  const trial = fitOnce(train, opts, seed, 1);
  let best = { scale: 0, loss: Number.POSITIVE_INFINITY };
  for (const scale of RESIDUAL_SCALES) {
    const loss = logLoss(trial, held, scale);
    if (loss < best.loss - 1e-9) best = { scale, loss };
  }
  return fitOnce(outcomes, opts, seed, best.scale);
}

const RESIDUAL_SCALES = [0, 0.5, 1];

function logLoss(model: LearnedModel, outcomes: readonly FitOutcome[], scale: number): number {
  const logitOf = learnedLogit(model, scale);
  let loss = 0;
  for (const o of outcomes) loss += outcomeLoss(o.score, sigmoid(logitOf(o)));
  return loss / Math.max(1, outcomes.length);
}

/** Log loss of one outcome (a score in [0, 1]) at probability p. */
export function outcomeLoss(score: number, p: number): number {
  return -(score * Math.log(Math.max(p, 1e-9)) + (1 - score) * Math.log(Math.max(1 - p, 1e-9)));
}

/** The fitted model's logit for an outcome: live logit + a(x)·Δθ_task + the residual head (times `residualScale`). */
export function learnedLogit(model: LearnedModel, residualScale = 1): (o: FitOutcome) => number {
  const w = new Map<number, number>();
  model.residual?.idx.forEach((j, k) => w.set(j, model.residual!.val[k]!));
  return (o) => {
    let r = model.residual?.bias ?? 0;
    if (model.residual) for (let i = 0; i < o.x.idx.length; i++) r += (w.get(o.x.idx[i]!) ?? 0) * o.x.val[i]!;
    return clampLogit(o.baseLogit + o.discrimination * (model.tasks[o.taskType]?.shift ?? 0) + residualScale * r);
  };
}

function fitOnce(outcomes: readonly FitOutcome[], opts: FitOptions, seed: number, residualScale: number): LearnedModel {
  const residual = residualScale > 0 ? new SparseResidual(widthOf(outcomes)) : null;
  const byTask = indicesBy(outcomes, (o) => o.taskType);
  const shift = new Map<TaskType, number>();
  const residualOf = new Float64Array(outcomes.length);
  const order = shuffleInPlace(
    Array.from({ length: outcomes.length }, (_, i) => i),
    createRng(seed),
  );
  const rounds = residual ? opts.rounds : 1;
  for (let round = 0; round < rounds; round++) {
    for (const [task, idx] of byTask) {
      // σ(baseLogit + r + a·Δθ) is refineAbility's σ(a·(Δθ − b)) with b = −(baseLogit + r)/a, prior Δθ = 0.
      const items = idx.map((i) => {
        const o = outcomes[i]!;
        return { score: o.score, discrimination: o.discrimination, difficulty: -(o.baseLogit + residualOf[i]!) / o.discrimination };
      });
      shift.set(task, refineAbility(0, items, opts.priorStrength));
    }
    if (!residual) break;
    fitResidual(residual, outcomes, order, shift, opts);
    if (round === rounds - 1 && residualScale !== 1) residual.scale(residualScale);
    outcomes.forEach((o, i) => (residualOf[i] = residual.value(o.x)));
  }
  const tasks: LearnedModel['tasks'] = {};
  for (const [task, idx] of [...byTask].sort((a, b) => a[0].localeCompare(b[0]))) {
    const d = shift.get(task) ?? 0;
    let information = 0;
    let sum = 0;
    for (const i of idx) {
      const o = outcomes[i]!;
      const p = sigmoid(clampLogit(o.baseLogit + residualOf[i]! + o.discrimination * d));
      information += o.discrimination * o.discrimination * p * (1 - p);
      sum += o.score;
    }
    tasks[task] = { shift: d, precision: opts.priorStrength * 0.25 + information, outcomes: idx.length, meanScore: sum / idx.length };
  }
  return { tasks, residual: residual ? packResidual(residual) : null };
}

function fitResidual(head: SparseResidual, outcomes: readonly FitOutcome[], order: readonly number[], shift: Map<TaskType, number>, opts: FitOptions): void {
  const decay = 1 - opts.residualLearningRate * opts.residualL2;
  for (let epoch = 0; epoch < opts.residualEpochs; epoch++) {
    const lr = opts.residualLearningRate / (1 + epoch);
    for (const i of order) {
      const o = outcomes[i]!;
      const z = o.baseLogit + o.discrimination * (shift.get(o.taskType) ?? 0) + head.value(o.x);
      const g = o.score - sigmoid(clampLogit(z));
      head.bias += lr * g;
      const w = head.w;
      for (let k = 0; k < o.x.idx.length; k++) {
        const j = o.x.idx[k]!;
        // L2 applied to the weights this row touches (lazy decay), which keeps the update sparse.
        w[j] = w[j]! * decay + lr * g * o.x.val[k]!;
      }
    }
  }
}

function packResidual(head: SparseResidual): NonNullable<LearnedModel['residual']> {
  const idx: number[] = [];
  const val: number[] = [];
  head.w.forEach((v, j) => {
    if (Math.abs(v) > 1e-6) {
      idx.push(j);
      val.push(round(v));
    }
  });
  return { bias: round(head.bias), idx, val };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** Fits every model present in the outcomes; models keep a fixed order so the state is reproducible. */
export function fitState(
  outcomes: readonly FitOutcome[],
  meta: { id: number; baseVersion: string; createdAtMs: number; lastScoredAtMs: number },
  opts: FitOptions = DEFAULT_FIT,
): LearnedState {
  const byModel = new Map<string, FitOutcome[]>();
  for (const o of outcomes) {
    const list = byModel.get(o.model) ?? [];
    list.push(o);
    byModel.set(o.model, list);
  }
  const models: LearnedState['models'] = {};
  [...byModel.keys()].sort().forEach((model, m) => (models[model] = fitModel(byModel.get(model)!, opts, 1_000 + m)));
  return { ...meta, outcomes: outcomes.length, models };
}
