import type { TaskType } from '../../config/schema.ts';
import { sigmoid } from './ability.ts';
import { featureCount, type FeatureLayout, type SparseVector } from './feature-vector.ts';
import type { PreparedRow } from './prepare-rows.ts';
import { createRng, shuffleInPlace } from './rng.ts';

/**
 * Joint fit of the item-response backbone and the per-model residual heads by AdaGrad SGD on log loss:
 *   z_m(x) = a(x)·(θ_m + δ_m,task − b(x)) + w_m·x + c_m,   a(x) = exp(v·x + v0),  b(x) = u·x + u0.
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
}

export interface Params {
  wb: Float64Array;
  bb: number;
  wa: Float64Array;
  ba: number;
  thetaBase: Float64Array;
  thetaTask: Array<Map<TaskType, number>>;
  taskRows: Array<Map<TaskType, number>>;
  wr: Float64Array[] | null;
  br: Float64Array;
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
  let b = p.bb;
  let la = p.ba;
  let res = p.br[m]!;
  const wr = p.wr?.[m];
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    const v = x.val[i]!;
    b += p.wb[j]! * v;
    la += p.wa[j]! * v;
    if (wr) res += wr[j]! * v;
  }
  const a = Math.exp(Math.max(-LOG_A_LIMIT, Math.min(LOG_A_LIMIT, la)));
  const theta = p.thetaBase[m]! + (p.thetaTask[m]!.get(task) ?? 0);
  return a * (theta - b) + res;
}

export function fitParams(
  set: FitSet,
  rowIds: readonly number[],
  opts: FitOptions,
  seed: number,
  onProgress?: (done: number, total: number) => void,
): Params {
  const n = featureCount(set.layout);
  const M = set.models.length;
  const modelIndex = new Map(set.models.map((id, i) => [id, i]));
  const p: Params = {
    wb: new Float64Array(n),
    bb: 0,
    wa: new Float64Array(n),
    ba: 0,
    thetaBase: new Float64Array(M),
    thetaTask: Array.from({ length: M }, () => new Map()),
    taskRows: Array.from({ length: M }, () => new Map()),
    wr: opts.residual ? Array.from({ length: M }, () => new Float64Array(n)) : null,
    br: new Float64Array(M),
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
  const gWb = new Float64Array(n);
  const gWa = new Float64Array(n);
  const gWr = opts.residual ? Array.from({ length: M }, () => new Float64Array(n)) : null;
  const gScalar = { bb: 0, ba: 0 };
  const gTheta = new Float64Array(M);
  const gBr = new Float64Array(M);
  const gTask = Array.from({ length: M }, () => new Map<TaskType, number>());
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
      let b = p.bb;
      let la = p.ba;
      for (let i = 0; i < x.idx.length; i++) {
        b += p.wb[x.idx[i]!]! * x.val[i]!;
        la += p.wa[x.idx[i]!]! * x.val[i]!;
      }
      const clipped = la > LOG_A_LIMIT || la < -LOG_A_LIMIT;
      const a = Math.exp(Math.max(-LOG_A_LIMIT, Math.min(LOG_A_LIMIT, la)));
      let gradB = 0;
      let gradLogA = 0;
      for (const [id, y] of Object.entries(row.scores)) {
        const m = modelIndex.get(id)!;
        const delta = p.thetaTask[m]!.get(task) ?? 0;
        const theta = p.thetaBase[m]! + delta;
        const wr = p.wr?.[m];
        let res = p.br[m]!;
        if (wr) for (let i = 0; i < x.idx.length; i++) res += wr[x.idx[i]!]! * x.val[i]!;
        const g = sigmoid(a * (theta - b) + res) - y;
        gradB -= g * a;
        if (!clipped) gradLogA += g * a * (theta - b);
        // Abilities.
        const gt = g * a;
        gTheta[m]! += gt * gt;
        p.thetaBase[m]! -= (lr * gt) / (Math.sqrt(gTheta[m]!) + EPS);
        const gd = gt + opts.l2TaskAbility * delta;
        const acc = (gTask[m]!.get(task) ?? 0) + gd * gd;
        gTask[m]!.set(task, acc);
        p.thetaTask[m]!.set(task, delta - (lr * gd) / (Math.sqrt(acc) + EPS));
        // Residual head.
        if (wr) {
          const gw = gWr![m]!;
          for (let i = 0; i < x.idx.length; i++) {
            const j = x.idx[i]!;
            const gj = g * x.val[i]! + (j < buckets ? opts.l2Residual : opts.l2Dense) * wr[j]!;
            gw[j]! += gj * gj;
            wr[j]! -= (lr * gj) / (Math.sqrt(gw[j]!) + EPS);
          }
          gBr[m]! += g * g;
          p.br[m]! -= (lr * g) / (Math.sqrt(gBr[m]!) + EPS);
        }
      }
      for (let i = 0; i < x.idx.length; i++) {
        const j = x.idx[i]!;
        const v = x.val[i]!;
        const gb = gradB * v + (j < buckets ? opts.l2Difficulty : opts.l2Dense) * p.wb[j]!;
        gWb[j]! += gb * gb;
        p.wb[j]! -= (lr * gb) / (Math.sqrt(gWb[j]!) + EPS);
        // Discrimination reads only the dense and task features: learned per n-gram it lets a(x) grow
        // until every prediction is overconfident (seen in CV as rising held-out log loss).
        if (j < buckets) continue;
        const ga = gradLogA * v + opts.l2Discrimination * p.wa[j]!;
        gWa[j]! += ga * ga;
        p.wa[j]! -= (lr * ga) / (Math.sqrt(gWa[j]!) + EPS);
      }
      gScalar.bb += gradB * gradB;
      p.bb -= (lr * gradB) / (Math.sqrt(gScalar.bb) + EPS);
      const gba = gradLogA + opts.l2Discrimination * p.ba;
      gScalar.ba += gba * gba;
      p.ba -= (lr * gba) / (Math.sqrt(gScalar.ba) + EPS);
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
  const sum = new Float64Array(M);
  const count = new Float64Array(M);
  const taskSum = Array.from({ length: M }, () => new Map<TaskType, number>());
  for (const r of rowIds) {
    const row = set.rows[r]!;
    for (const [id, y] of Object.entries(row.scores)) {
      const m = p.modelIndex.get(id)!;
      sum[m]! += y;
      count[m]! += 1;
      taskSum[m]!.set(row.taskType, (taskSum[m]!.get(row.taskType) ?? 0) + y);
    }
  }
  const logit = (q: number) => Math.log(q / (1 - q));
  for (let m = 0; m < M; m++) {
    const base = (sum[m]! + 1) / (count[m]! + 2);
    p.thetaBase[m] = logit(base);
    for (const [task, n] of p.taskRows[m]!) {
      // Shrink towards the model's overall rate with the weight of 10 pseudo-rows.
      const rate = ((taskSum[m]!.get(task) ?? 0) + 10 * base) / (n + 10);
      p.thetaTask[m]!.set(task, logit(rate) - p.thetaBase[m]!);
    }
  }
}
