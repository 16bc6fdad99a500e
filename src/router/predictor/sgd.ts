import type { TaskType } from '../../config/schema.ts';
import { sigmoid } from './ability.ts';
import { featureCount, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import type { PreparedRow } from './prepare-rows.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/**
 * Joint fit of the item-response backbone and the per-model residual heads by AdaGrad SGD on log loss:
 *   z_m(x) = a(x)·(θ_m + δ_m,task − b(x)) + w_m·φ(x) + c_m,   a(x) = exp(v·φ_d(x) + v0),  b(x) = u·φ(x) + u0.
 * L2 is applied to the coordinates a row touches (the usual lazy form for sparse SGD).
 */
export interface FitOptions {
  epochs: number;
  learningRate: number;
  l2Difficulty: number;
  l2Discrimination: number;
  l2Residual: number;
  /** Pull of the per-task ability deviation δ towards the model's base ability. */
  l2TaskAbility: number;
  residual: boolean;
  /** L2 on the dense and task-type coordinates of the difficulty and residual heads (few, well-populated). */
  l2Dense: number;
  /**
   * Sources (a row's `dataset`) whose scores are judged preferences, not correctness. Their rows get a
   * per-(model, source) logit offset o_m,s: they teach the shared difficulty, the task shape and the
   * residual heads, while each model's level stays the one its correctness rows show (o is not served).
   */
  preferenceSources: readonly string[];
  /** Pull of the preference offsets o_m,s towards zero. */
  l2SourceOffset: number;
}

/** The fitted numbers, named by the symbols of docs/router.md. */
export interface Params {
  /** Difficulty head: b(x) = u·φ(x) + u0. */
  u: Float64Array;
  u0: number;
  /** Discrimination head: log a(x) = v·φ_d(x) + v0 (v is zero on the hashed buckets). */
  v: Float64Array;
  v0: number;
  /** θ_m, each model's base ability. */
  theta: Float64Array;
  /** δ_m,task: θ_m,task = θ_m + δ_m,task. */
  delta: Array<Map<TaskType, number>>;
  taskRows: Array<Map<TaskType, number>>;
  /** Residual heads w_m (null with `residual: false`) and their biases c_m. */
  w: Float64Array[] | null;
  c: Float64Array;
  /** o_m,s: per model, one logit offset per preference source (training only; see FitOptions). */
  sourceOffset: Float64Array[];
  /** Per row, the index of its preference source in `preferenceSources`, or −1 for a correctness row. */
  rowSource: Int8Array;
  modelIndex: Map<string, number>;
}

interface FitSet {
  rows: PreparedRow[];
  vectors: SparseVector[];
  layout: FeatureLayout;
  models: string[];
}

const EPS = 1e-8;
const LOG_A_LIMIT = 3;

export function predictLogit(p: Params, set: FitSet, r: number, model: string): number {
  const m = p.modelIndex.get(model);
  if (m === undefined) throw new Error(`unknown model ${model}`);
  const x = set.vectors[r]!;
  const task = set.rows[r]!.taskType;
  let b = p.u0;
  let la = p.v0;
  let res = p.c[m]!;
  const w = p.w?.[m];
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    const v = x.val[i]!;
    b += p.u[j]! * v;
    la += p.v[j]! * v;
    if (w) res += w[j]! * v;
  }
  const a = Math.exp(Math.max(-LOG_A_LIMIT, Math.min(LOG_A_LIMIT, la)));
  const theta = p.theta[m]! + (p.delta[m]!.get(task) ?? 0);
  const s = p.rowSource[r]!;
  return a * (theta - b) + res + (s >= 0 ? p.sourceOffset[m]![s]! : 0);
}

/** Per row, the index of its source in `preferenceSources` (−1: a correctness row). */
export function preferenceIndex(rows: readonly PreparedRow[], preferenceSources: readonly string[]): Int8Array {
  return Int8Array.from(rows, (row) => (row.source === undefined ? -1 : preferenceSources.indexOf(row.source)));
}

export function fitParams(set: FitSet, rowIds: readonly number[], opts: FitOptions, seed: number, onProgress?: (done: number, total: number) => void): Params {
  const n = featureCount(set.layout);
  const M = set.models.length;
  const modelIndex = new Map(set.models.map((id, i) => [id, i]));
  const p: Params = {
    u: new Float64Array(n),
    u0: 0,
    v: new Float64Array(n),
    v0: 0,
    theta: new Float64Array(M),
    delta: Array.from({ length: M }, () => new Map()),
    taskRows: Array.from({ length: M }, () => new Map()),
    w: opts.residual ? Array.from({ length: M }, () => new Float64Array(n)) : null,
    c: new Float64Array(M),
    sourceOffset: Array.from({ length: M }, () => new Float64Array(opts.preferenceSources.length)),
    rowSource: preferenceIndex(set.rows, opts.preferenceSources),
    modelIndex,
  };
  for (const r of rowIds) {
    const row = set.rows[r]!;
    for (const id of Object.keys(row.scores)) {
      const m = modelIndex.get(id)!;
      p.taskRows[m]!.set(row.taskType, (p.taskRows[m]!.get(row.taskType) ?? 0) + 1);
    }
  }
  initAbilities(p, set, rowIds);
  // AdaGrad squared-gradient sums, one per parameter.
  const gU = new Float64Array(n);
  const gV = new Float64Array(n);
  const gW = opts.residual ? Array.from({ length: M }, () => new Float64Array(n)) : null;
  const gScalar = { u0: 0, v0: 0 };
  const gTheta = new Float64Array(M);
  const gC = new Float64Array(M);
  const gTask = Array.from({ length: M }, () => new Map<TaskType, number>());
  const gOffset = Array.from({ length: M }, () => new Float64Array(opts.preferenceSources.length));
  const lr = opts.learningRate;
  const buckets = set.layout.buckets;
  const rng = createRng(seed);
  const order = [...rowIds];
  const total = opts.epochs * order.length;
  let done = 0;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (const r of order) {
      const x = set.vectors[r]!;
      const row = set.rows[r]!;
      const task = row.taskType;
      const source = p.rowSource[r]!;
      let b = p.u0;
      let la = p.v0;
      for (let i = 0; i < x.idx.length; i++) {
        b += p.u[x.idx[i]!]! * x.val[i]!;
        la += p.v[x.idx[i]!]! * x.val[i]!;
      }
      const clipped = la > LOG_A_LIMIT || la < -LOG_A_LIMIT;
      const a = Math.exp(Math.max(-LOG_A_LIMIT, Math.min(LOG_A_LIMIT, la)));
      let gradB = 0;
      let gradLogA = 0;
      for (const [id, y] of Object.entries(row.scores)) {
        const m = modelIndex.get(id)!;
        const delta = p.delta[m]!.get(task) ?? 0;
        const theta = p.theta[m]! + delta;
        const w = p.w?.[m];
        let res = p.c[m]!;
        if (w) for (let i = 0; i < x.idx.length; i++) res += w[x.idx[i]!]! * x.val[i]!;
        const offset = source >= 0 ? p.sourceOffset[m]![source]! : 0;
        const g = sigmoid(a * (theta - b) + res + offset) - y;
        if (source >= 0) {
          const go = g + opts.l2SourceOffset * offset;
          gOffset[m]![source]! += go * go;
          p.sourceOffset[m]![source] = offset - (lr * go) / (Math.sqrt(gOffset[m]![source]!) + EPS);
        }
        gradB -= g * a;
        if (!clipped) gradLogA += g * a * (theta - b);
        // Abilities.
        const gt = g * a;
        gTheta[m]! += gt * gt;
        p.theta[m]! -= (lr * gt) / (Math.sqrt(gTheta[m]!) + EPS);
        const gd = gt + opts.l2TaskAbility * delta;
        const acc = (gTask[m]!.get(task) ?? 0) + gd * gd;
        gTask[m]!.set(task, acc);
        p.delta[m]!.set(task, delta - (lr * gd) / (Math.sqrt(acc) + EPS));
        // Residual head.
        if (w) {
          const gw = gW![m]!;
          for (let i = 0; i < x.idx.length; i++) {
            const j = x.idx[i]!;
            const gj = g * x.val[i]! + (j < buckets ? opts.l2Residual : opts.l2Dense) * w[j]!;
            gw[j]! += gj * gj;
            w[j]! -= (lr * gj) / (Math.sqrt(gw[j]!) + EPS);
          }
          gC[m]! += g * g;
          p.c[m]! -= (lr * g) / (Math.sqrt(gC[m]!) + EPS);
        }
      }
      for (let i = 0; i < x.idx.length; i++) {
        const j = x.idx[i]!;
        const v = x.val[i]!;
        const gb = gradB * v + (j < buckets ? opts.l2Difficulty : opts.l2Dense) * p.u[j]!;
        gU[j]! += gb * gb;
        p.u[j]! -= (lr * gb) / (Math.sqrt(gU[j]!) + EPS);
        // Discrimination reads only the dense and task features: learned per n-gram it lets a(x) grow
        // until every prediction is overconfident (seen in CV as rising held-out log loss).
        if (j < buckets) continue;
        const ga = gradLogA * v + opts.l2Discrimination * p.v[j]!;
        gV[j]! += ga * ga;
        p.v[j]! -= (lr * ga) / (Math.sqrt(gV[j]!) + EPS);
      }
      gScalar.u0 += gradB * gradB;
      p.u0 -= (lr * gradB) / (Math.sqrt(gScalar.u0) + EPS);
      const gba = gradLogA + opts.l2Discrimination * p.v0;
      gScalar.v0 += gba * gba;
      p.v0 -= (lr * gba) / (Math.sqrt(gScalar.v0) + EPS);
      done++;
      if (onProgress && (done % 500 === 0 || done === total)) onProgress(done, total);
    }
  }
  return p;
}

/**
 * Start each ability at the logit of the model's smoothed success rate (overall, then per task type):
 * with a = 1 and b = 0 the first prediction is already the per-model, per-task base rate, and SGD only
 * has to learn how prompts differ. Started from zero, AdaGrad's shrinking steps left abilities short.
 */
function initAbilities(p: Params, set: FitSet, rowIds: readonly number[]): void {
  const M = set.models.length;
  const S = p.sourceOffset[0]?.length ?? 0;
  const sum = new Float64Array(M);
  const count = new Float64Array(M);
  const taskSum = Array.from({ length: M }, () => new Map<TaskType, { sum: number; n: number }>());
  const prefSum = Array.from({ length: M }, () => new Float64Array(S));
  const prefCount = Array.from({ length: M }, () => new Float64Array(S));
  for (const r of rowIds) {
    const row = set.rows[r]!;
    const s = p.rowSource[r]!;
    for (const [id, y] of Object.entries(row.scores)) {
      const m = p.modelIndex.get(id)!;
      if (s >= 0) {
        prefSum[m]![s]! += y;
        prefCount[m]![s]! += 1;
        continue;
      }
      sum[m]! += y;
      count[m]! += 1;
      const t = taskSum[m]!.get(row.taskType) ?? { sum: 0, n: 0 };
      t.sum += y;
      t.n += 1;
      taskSum[m]!.set(row.taskType, t);
    }
  }
  const logit = (q: number) => Math.log(q / (1 - q));
  for (let m = 0; m < M; m++) {
    // A model with correctness rows starts at their rate and its preference offsets at the gap to it; a
    // model with preference rows only starts at its first source's rate (its level is not identified).
    const first = prefCount[m]!.findIndex((n) => n > 0);
    const base = count[m]! > 0 || first < 0 ? (sum[m]! + 1) / (count[m]! + 2) : (prefSum[m]![first]! + 1) / (prefCount[m]![first]! + 2);
    p.theta[m] = logit(base);
    for (let s = 0; s < S; s++) {
      if (count[m]! > 0 && prefCount[m]![s]! > 0) p.sourceOffset[m]![s] = logit((prefSum[m]![s]! + 1) / (prefCount[m]![s]! + 2)) - p.theta[m]!;
    }
    for (const task of p.taskRows[m]!.keys()) {
      // Shrink towards the model's overall rate with the weight of 10 pseudo-rows (correctness rows only).
      const t = taskSum[m]!.get(task) ?? { sum: 0, n: 0 };
      p.delta[m]!.set(task, logit((t.sum + 10 * base) / (t.n + 10)) - p.theta[m]!);
    }
  }
}
