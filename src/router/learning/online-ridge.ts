import { sigmoid } from '../predictor/ability.ts';
import type { SparseVector } from '../predictor/feature-vector.ts';
import { fitRidgeHead, idfNorm, ridgeDeviation } from '../predictor/ridge-head.ts';
import { learnedLogit, outcomeLoss, type FitOutcome } from './fit-state.ts';
import type { LearnedRidge, LearnedState } from './learned-state.ts';
import { bytesOf, f32, u32 } from './learning-row.ts';
import { indicesBy } from '../../util/indices-by.ts';

/**
 * Online per-prompt learning: per model a ridge regression (a linear probability model, as the shipped
 * ridge heads — docs/router.md) of (outcome − the current learned probability) on the TF-IDF view of the
 * prompt's hashed n-grams. Abilities per task type cannot tell two MMLU questions apart; these heads can.
 *
 * A head can hurt as easily as help on a few hundred bandit outcomes, so each is fitted on the older
 * (1 − heldOutShare) of its model's rows, and one scale of SCALES for all heads is chosen by the log loss
 * on the newest rows of every model (a time split, as a deployment sees the future); heads are kept only
 * when that gain beats zero by MIN_GAIN_SE standard errors of the paired per-row difference, then refitted
 * on all rows at that scale.
 */
export interface OnlineRidgeOptions {
  /** L2 of the heads; 0 turns them off. */
  l2: number;
  iterations: number;
  /** A model gets a head once it has this many outcomes. */
  minOutcomes: number;
  /** The newest rows per model a head is fitted on (bounds the CPU time of a refit). */
  maxRows: number;
  heldOutShare: number;
}

/** Heads off (l2 0) as in the config (`routing.learning.ridge_l2`): they routed worse on the shared files. */
export const DEFAULT_ONLINE_RIDGE: OnlineRidgeOptions = { l2: 0, iterations: 25, minOutcomes: 100, maxRows: 4_000, heldOutShare: 0.2 };

const SCALES = [0, 0.25, 0.5, 1];
/**
 * A head is kept when its held-out gain is above this many standard errors: the promotion bar of
 * guarded-promotion.ts (one-sided 95%), since keeping a head is a small promotion made at every refit.
 */
const MIN_GAIN_SE = 1.645;
const FLOOR = 0.01;

function clamp(p: number): number {
  return p < FLOOR ? FLOOR : p > 1 - FLOOR ? 1 - FLOOR : p;
}

/** The hashed n-gram part of a feature vector (the dense and task coordinates sit above `buckets`). */
function hashedPart(x: SparseVector, buckets: number): SparseVector {
  let n = 0;
  while (n < x.idx.length && x.idx[n]! < buckets) n++;
  return n === x.idx.length ? x : { idx: x.idx.subarray(0, n), val: x.val.subarray(0, n) };
}

interface Scored {
  gain: number;
  se: number;
}

/** Mean and standard error of the per-row log-loss gain of p + scale·dev over p. */
function heldOutGain(levels: readonly number[], devs: readonly number[], scores: readonly number[], scale: number): Scored {
  const n = levels.length;
  const d = levels.map((p, i) => outcomeLoss(scores[i]!, clamp(p)) - outcomeLoss(scores[i]!, clamp(p + scale * devs[i]!)));
  const gain = d.reduce((s, v) => s + v, 0) / n;
  const variance = d.reduce((s, v) => s + (v - gain) ** 2, 0) / Math.max(1, n - 1);
  return { gain, se: Math.sqrt(variance / n) };
}

/**
 * Adds ridge heads to a fitted state (abilities and residuals already in it). Deterministic for the same
 * outcomes, so replicas that fit the same rows store the same state. `pause` is awaited between heads
 * (the refit yields to the event loop; each head is a bounded conjugate-gradient fit).
 */
export async function addRidgeHeads(
  state: LearnedState,
  outcomes: readonly FitOutcome[],
  buckets: number,
  opts: OnlineRidgeOptions,
  pause: () => Promise<void> = async () => {},
): Promise<LearnedState> {
  if (opts.l2 <= 0 || outcomes.length === 0) return state;
  const xs = outcomes.map((o) => hashedPart(o.x, buckets));
  const df = new Float32Array(buckets);
  for (const x of xs) for (let i = 0; i < x.idx.length; i++) if (x.val[i] !== 0) df[x.idx[i]!]! += 1;
  const idf = idfOf(df, outcomes.length);
  const byModel = indicesBy(outcomes, (o) => o.model);
  // Phase 1, per model: a trial head on its older rows, its deviations on its newest rows.
  const trials = new Map<string, Trial>();
  for (const model of Object.keys(state.models).sort()) {
    const all = byModel.get(model) ?? [];
    // Time order (scoring time, then the fit's own order), newest `maxRows` rows.
    const rows = [...all].sort((a, b) => (outcomes[a]!.atMs ?? a) - (outcomes[b]!.atMs ?? b) || a - b).slice(-opts.maxRows);
    const trial = rows.length >= opts.minOutcomes ? trialHead(rows, outcomes, xs, idf, buckets, learnedLogit(state.models[model]!), opts) : null;
    if (trial) trials.set(model, trial);
    await pause();
  }
  // Phase 2: one scale for every head, chosen on the pooled newest rows. Routing compares models, so a head
  // on one model only would move it against the others by everything its head learned (the difficulty of a
  // prompt as much as the model's own strengths); all heads at one scale move together.
  const pooled = [...trials.values()];
  const best = chooseScale(
    pooled.flatMap((t) => t.heldLevels),
    pooled.flatMap((t) => t.devs),
    pooled.flatMap((t) => t.heldScores),
  );
  if (best.scale === 0) return state;
  const models: LearnedState['models'] = {};
  for (const [model, fitted] of Object.entries(state.models)) {
    const trial = trials.get(model);
    models[model] = { ...fitted, ridge: trial ? finalHead(trial, xs, idf, buckets, best, opts) : null };
    if (trial) await pause();
  }
  const seen: number[] = [];
  df.forEach((count, j) => {
    if (count > 0) seen.push(j);
  });
  return {
    ...state,
    models,
    ridgeIdf: { buckets, rows: outcomes.length, idx: bytesOf(Uint32Array.from(seen)), df: bytesOf(Float32Array.from(seen, (j) => df[j]!)) },
  };
}

/** ln((rows + 1)/(df + 1)) + 1 per bucket, the shipped heads' idf (ridge-head.ts), from document counts. */
function idfOf(df: Float32Array, rows: number): Float32Array {
  return df.map((count) => Math.log((rows + 1) / (count + 1)) + 1);
}

interface Trial {
  rows: readonly number[];
  targets: number[];
  heldLevels: number[];
  devs: number[];
  heldScores: number[];
}

function trialHead(
  rows: readonly number[],
  outcomes: readonly FitOutcome[],
  xs: readonly SparseVector[],
  idf: Float32Array,
  buckets: number,
  logitOf: (o: FitOutcome) => number,
  opts: OnlineRidgeOptions,
): Trial | null {
  const levels = rows.map((i) => sigmoid(logitOf(outcomes[i]!)));
  const targets = rows.map((i, k) => outcomes[i]!.score - levels[k]!);
  const cut = Math.floor(rows.length * (1 - opts.heldOutShare));
  if (cut < 1 || cut >= rows.length) return null;
  const trial = fitRidgeHead(
    rows.slice(0, cut).map((i) => xs[i]!),
    targets.slice(0, cut),
    idf,
    buckets,
    { l2: opts.l2, iterations: opts.iterations },
  );
  const held = rows.slice(cut);
  return {
    rows,
    targets,
    heldLevels: levels.slice(cut),
    devs: held.map((i) => ridgeDeviation(trial, xs[i]!, idfNorm(xs[i]!, idf, buckets), buckets)),
    heldScores: held.map((i) => outcomes[i]!.score),
  };
}

/** The scale of SCALES with the largest held-out gain, or 0 when no gain clears MIN_GAIN_SE standard errors. */
function chooseScale(levels: readonly number[], devs: readonly number[], scores: readonly number[]): { scale: number; gain: number; se: number } {
  let best = { scale: 0, gain: 0, se: 0 };
  if (levels.length === 0) return best;
  for (const scale of SCALES) {
    if (scale === 0) continue;
    const s = heldOutGain(levels, devs, scores, scale);
    if (s.gain > best.gain) best = { scale, ...s };
  }
  return best.gain > MIN_GAIN_SE * best.se ? best : { scale: 0, gain: 0, se: 0 };
}

function finalHead(
  trial: Trial,
  xs: readonly SparseVector[],
  idf: Float32Array,
  buckets: number,
  best: { scale: number; gain: number; se: number },
  opts: OnlineRidgeOptions,
): LearnedRidge {
  const head = fitRidgeHead(
    trial.rows.map((i) => xs[i]!),
    trial.targets,
    idf,
    buckets,
    { l2: opts.l2, iterations: opts.iterations },
  );
  const idx: number[] = [];
  const val: number[] = [];
  head.weights.forEach((w, j) => {
    if (w !== 0) {
      idx.push(j);
      val.push(w * best.scale);
    }
  });
  return {
    scale: best.scale,
    heldOutGain: round(best.gain),
    heldOutGainSe: round(best.se),
    rows: trial.rows.length,
    idx: bytesOf(Uint32Array.from(idx)),
    val: bytesOf(Float32Array.from(val)),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** What serving needs of the heads: dense idf, and per model dense weights (× idf × scale). */
export interface ServingRidge {
  buckets: number;
  idf: Float32Array;
  weights: Map<string, Float32Array>;
}

export function servingRidge(state: LearnedState): ServingRidge | null {
  const stored = state.ridgeIdf;
  if (!stored) return null;
  const df = new Float32Array(stored.buckets);
  const counts = f32(stored.df);
  u32(stored.idx).forEach((j, k) => {
    if (j < stored.buckets) df[j] = counts[k]!;
  });
  const idf = idfOf(df, stored.rows);
  const weights = new Map<string, Float32Array>();
  for (const [model, m] of Object.entries(state.models)) {
    if (!m.ridge) continue;
    const w = new Float32Array(stored.buckets);
    const idx = u32(m.ridge.idx);
    const val = f32(m.ridge.val);
    idx.forEach((j, k) => {
      if (j < stored.buckets) w[j] = val[k]!;
    });
    weights.set(model, w);
  }
  return { buckets: stored.buckets, idf, weights };
}

/** p plus the model's head deviation for this prompt, clamped to [1%, 99%] (a linear probability can leave [0, 1]). */
export function withRidge(p: number, ridge: ServingRidge, model: string, x: SparseVector): number {
  const w = ridge.weights.get(model);
  if (!w) return p;
  const h = hashedPart(x, ridge.buckets);
  return clamp(p + ridgeDeviation({ weights: w }, h, idfNorm(h, ridge.idf, ridge.buckets), ridge.buckets));
}
