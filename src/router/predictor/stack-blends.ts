import { blendLogit, selectBlend, type BlendWeights } from './blend-select.ts';
import { chooseShrink, type DecisionRows } from './decision-shrink.ts';
import type { PreparedRow } from './prepare-rows.ts';

export type ModelBlend = BlendWeights & { byTask?: Record<string, BlendWeights> };
export type PlattPair = { scale: number; offset: number; byTask?: Record<string, { scale: number; offset: number }> };

/** Out-of-fold logits per [row][model] (NaN where the row has no outcome for the model). */
export interface OutOfFoldLogits {
  full: Float64Array[];
  coarse: Float64Array[];
  hashed: Float64Array[];
}

export interface StackOptions {
  /** A (model, task type) gets its own weights from this many out-of-fold outcomes on. */
  minRows: number;
  useHashed: boolean;
  /** Shrink each task type's blends by the factor that routes best out of fold (decision-shrink.ts). */
  decisionShrink: boolean;
  decisionMargin: number;
}

interface Samples {
  coarse: number[];
  full: number[];
  hashed: number[];
  labels: number[];
}

/**
 * Per model, stacking weights of coarse head, full model and hashed logistic by out-of-fold log loss,
 * pooled over task types and per task type with enough rows; then, optionally, each task type's weights
 * scaled by one routing-chosen shrink factor.
 */
export function stackBlends(rows: readonly PreparedRow[], models: readonly string[], oof: OutOfFoldLogits, platt: Map<string, PlattPair>, opts: StackOptions): Map<string, ModelBlend> {
  const fullCal = calibratedFull(rows, models, oof, platt);
  const out = new Map<string, ModelBlend>();
  models.forEach((model, m) => {
    const pooled: Samples = { coarse: [], full: [], hashed: [], labels: [] };
    const byTask = new Map<string, Samples>();
    rows.forEach((row, r) => {
      const y = row.scores[model];
      const f = fullCal[r]![m]!;
      const c = oof.coarse[r]![m]!;
      if (y === undefined || Number.isNaN(f) || Number.isNaN(c)) return;
      const t = byTask.get(row.taskType) ?? { coarse: [], full: [], hashed: [], labels: [] };
      byTask.set(row.taskType, t);
      const h = opts.useHashed ? oof.hashed[r]![m]! : 0;
      for (const s of [pooled, t]) {
        s.coarse.push(c);
        s.full.push(f);
        s.hashed.push(Number.isNaN(h) ? c : h);
        s.labels.push(y);
      }
    });
    if (pooled.labels.length < 20) return;
    const blend: ModelBlend = selectBlend(pooled, 0.05, opts.useHashed);
    const tasks: Record<string, BlendWeights> = {};
    for (const [task, t] of [...byTask].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (t.labels.length >= opts.minRows) tasks[task] = selectBlend(t, 0.05, opts.useHashed);
    }
    if (Object.keys(tasks).length > 0) blend.byTask = tasks;
    out.set(model, blend);
  });
  if (opts.decisionShrink) applyDecisionShrink(rows, models, oof, fullCal, out, opts.minRows, opts.decisionMargin);
  return out;
}

function calibratedFull(rows: readonly PreparedRow[], models: readonly string[], oof: OutOfFoldLogits, platt: Map<string, PlattPair>): Float64Array[] {
  return rows.map((row, r) =>
    Float64Array.from(models, (model, m) => {
      const cal = platt.get(model) ?? { scale: 1, offset: 0 };
      const pt = cal.byTask?.[row.taskType] ?? cal;
      return pt.scale * oof.full[r]![m]! + pt.offset;
    }),
  );
}

function weightsFor(blend: ModelBlend, task: string): BlendWeights {
  const w = blend.byTask?.[task];
  return w ? { keep: w.keep, hashed: w.hashed } : { keep: blend.keep, hashed: blend.hashed };
}

/** Per task type with ≥ minRows rows that have costs for ≥ 3 models, choose ρ and scale every model's weights for that task. */
function applyDecisionShrink(rows: readonly PreparedRow[], models: readonly string[], oof: OutOfFoldLogits, fullCal: Float64Array[], blends: Map<string, ModelBlend>, minRows: number, margin: number): void {
  const byTask = new Map<string, number[]>();
  rows.forEach((row, r) => {
    if (!row.costs) return;
    const t = byTask.get(row.taskType) ?? [];
    t.push(r);
    byTask.set(row.taskType, t);
  });
  for (const [task, idx] of [...byTask].sort((a, b) => a[0].localeCompare(b[0]))) {
    // Only models with an outcome, a cost and out-of-fold logits on every row compare fairly.
    const cols = models
      .map((model, m) => ({ model, m }))
      .filter(({ model, m }) => blends.has(model) && idx.every((r) => rows[r]!.scores[model] !== undefined && rows[r]!.costs?.[model] !== undefined && !Number.isNaN(fullCal[r]![m]!) && !Number.isNaN(oof.coarse[r]![m]!)));
    if (cols.length < 3 || idx.length < minRows) continue;
    const level = cols.map(({ model }) => levelLogit(rows, model, task));
    const decision: DecisionRows = { models: cols.map((c) => c.model), level, blended: [], quality: [], costUsd: [] };
    for (const r of idx) {
      const row = rows[r]!;
      decision.blended.push(
        cols.map(({ model, m }) => {
          const c = oof.coarse[r]![m]!;
          const h = oof.hashed[r]![m]!;
          return blendLogit(weightsFor(blends.get(model)!, task), c, fullCal[r]![m]!, Number.isNaN(h) ? c : h);
        }),
      );
      decision.quality.push(cols.map(({ model }) => row.scores[model]!));
      decision.costUsd.push(cols.map(({ model }) => row.costs![model]!));
    }
    const rho = chooseShrink(decision, margin);
    for (const [model, blend] of blends) {
      if (!rows.some((row) => row.taskType === task && row.scores[model] !== undefined)) continue;
      const w = weightsFor(blend, task);
      blend.byTask = { ...blend.byTask, [task]: { keep: w.keep, hashed: w.hashed, shrink: rho, levelLogit: round(levelLogit(rows, model, task)) } };
    }
  }
}

/** Logit of the model's success rate on the task's rows (one pseudo-success and -failure). */
function levelLogit(rows: readonly PreparedRow[], model: string, task: string): number {
  let sum = 1;
  let count = 2;
  for (const row of rows) {
    const y = row.scores[model];
    if (row.taskType !== task || y === undefined) continue;
    sum += y;
    count++;
  }
  return Math.log(sum / (count - sum));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
