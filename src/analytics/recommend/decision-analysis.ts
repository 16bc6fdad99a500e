import type { Goal } from '../../config/schema.ts';
import { BALANCED_LAMBDA_COST, BALANCED_LAMBDA_LATENCY, COST_FLOOR_USD, LATENCY_FLOOR_MS } from '../../router/policy/score-candidate.ts';
import { HOLDOUT_SUFFIX } from '../../router/policy/match-rules.ts';
import type { HistoryRow } from './load-history.ts';
import type { ReplayContext } from './replay.ts';
import { expectedOutcome, type RequestOutcome } from './replay.ts';

/** A request whose hindsight-best model differs from the one that answered. */
export interface MissedDecision {
  requestId: string;
  taskType: string;
  complexity: number;
  usedModel: string;
  observedQuality: number;
  costUsd: number;
  bestModel: string;
  bestExpectedQuality: number;
  bestExpectedCostUsd: number;
  missedSavingsUsd: number;
}

export interface TaskTypeDecisionStats {
  taskType: string;
  analyzed: number;
  optimalShare: number;
  missedSavingsUsd: number;
  /** The model most often best in hindsight. */
  bestModel: string;
}

/** Per-rule numbers from the rules each decision logged. */
export interface RuleStats {
  rule: string;
  fires: number;
  avgCostUsd: number;
  totalCostUsd: number;
  avgLatencyMs: number;
  /** Over the fires with a quality signal; null without any. */
  avgQuality: number | null;
  qualitySamples: number;
}

/** An A/B rule (percent < 100): requests where it applied against the held-out ones. */
export interface AbArmStats {
  rule: string;
  applied: RuleStats;
  holdout: RuleStats;
  /** applied − holdout; null when either arm has no quality signal. */
  qualityDelta: number | null;
  /** 95% interval of the quality difference (normal approximation); null below 2 samples per arm. */
  qualityDeltaCi95: [number, number] | null;
  costDeltaUsd: number;
}

export interface DecisionAnalysis {
  goal: Goal;
  qualityThreshold: number;
  /** Answered requests with a quality signal. */
  analyzed: number;
  /** Share of analyzed requests whose model was also the best in hindsight (decision accuracy). */
  optimalShare: number | null;
  /** Spent minus what the hindsight-best models would have cost, over the analyzed requests. */
  missedSavingsUsd: number;
  missedSavingsShare: number;
  byTaskType: TaskTypeDecisionStats[];
  /** The largest misses, for examples. */
  topMisses: MissedDecision[];
  rules: RuleStats[];
  abTests: AbArmStats[];
}

function balancedUtility(o: RequestOutcome, minCostUsd: number, minLatencyMs: number): number {
  return (
    (o.quality ?? 0) -
    BALANCED_LAMBDA_COST * Math.log10((o.costUsd + COST_FLOOR_USD) / (minCostUsd + COST_FLOOR_USD)) -
    BALANCED_LAMBDA_LATENCY * Math.log10((o.latencyMs + LATENCY_FLOOR_MS) / (minLatencyMs + LATENCY_FLOOR_MS))
  );
}

/**
 * The best option in hindsight under the goal, among those that reach the needed quality (or the best
 * quality when none does): cost → cheapest, speed → fastest, quality → best (cheaper on ties), balanced
 * → the policy's balanced utility.
 */
export function bestInHindsight(options: readonly RequestOutcome[], goal: Goal, neededQuality: number): RequestOutcome | undefined {
  const good = options.filter((o) => (o.quality ?? 0) >= neededQuality);
  if (good.length === 0) return [...options].sort((a, b) => (b.quality ?? 0) - (a.quality ?? 0) || a.costUsd - b.costUsd)[0];
  const minCost = Math.min(...good.map((o) => o.costUsd));
  const minLatency = Math.min(...good.map((o) => o.latencyMs));
  const key: Record<Goal, (o: RequestOutcome) => number> = {
    cost: (o) => -o.costUsd,
    speed: (o) => -o.latencyMs,
    quality: (o) => (o.quality ?? 0) - o.costUsd * 1e-9,
    balanced: (o) => balancedUtility(o, minCost, minLatency),
  };
  return [...good].sort((a, b) => key[goal](b) - key[goal](a) || a.costUsd - b.costUsd)[0];
}

/** The answered model as observed, and every other selectable candidate as calibrated expectation (per request: compared with the floor one by one). */
function hindsightOptions(row: HistoryRow, ctx: ReplayContext): RequestOutcome[] {
  const used: RequestOutcome = { model: row.modelUsed, costUsd: row.costUsd, latencyMs: row.latencyMs, quality: row.quality, changed: false };
  const others = row.candidates
    .filter((c) => c.model !== row.modelUsed && ctx.config.models.some((m) => m.id === c.model))
    .filter((c) => c.eligible || (c.reason ?? '').startsWith('predicted quality'))
    .map((c) => expectedOutcome(row, c, ctx, { perRequest: true }));
  return [used, ...others];
}

function ruleStats(rule: string, rows: readonly HistoryRow[]): RuleStats {
  const rated = rows.filter((r) => r.quality !== null);
  const totalCostUsd = rows.reduce((s, r) => s + r.costUsd, 0);
  return {
    rule,
    fires: rows.length,
    avgCostUsd: rows.length > 0 ? totalCostUsd / rows.length : 0,
    totalCostUsd,
    avgLatencyMs: rows.length > 0 ? rows.reduce((s, r) => s + r.latencyMs, 0) / rows.length : 0,
    avgQuality: rated.length > 0 ? rated.reduce((s, r) => s + (r.quality ?? 0), 0) / rated.length : null,
    qualitySamples: rated.length,
  };
}

function variance(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
}

function qualityDeltaCi95(a: readonly HistoryRow[], b: readonly HistoryRow[]): [number, number] | null {
  const qa = a.flatMap((r) => (r.quality === null ? [] : [r.quality]));
  const qb = b.flatMap((r) => (r.quality === null ? [] : [r.quality]));
  if (qa.length < 2 || qb.length < 2) return null;
  const delta = qa.reduce((s, v) => s + v, 0) / qa.length - qb.reduce((s, v) => s + v, 0) / qb.length;
  const se = Math.sqrt(variance(qa) / qa.length + variance(qb) / qb.length);
  return [delta - 1.96 * se, delta + 1.96 * se];
}

/** Per-rule effectiveness, and for A/B rules the applied arm against the held-out arm. */
export function analyzeRules(rows: readonly HistoryRow[]): { rules: RuleStats[]; abTests: AbArmStats[] } {
  const byRule = new Map<string, HistoryRow[]>();
  for (const row of rows) {
    for (const name of row.rules) {
      const list = byRule.get(name) ?? [];
      list.push(row);
      byRule.set(name, list);
    }
  }
  const rules = [...byRule.entries()]
    .filter(([name]) => !name.endsWith(HOLDOUT_SUFFIX))
    .map(([name, fired]) => ruleStats(name, fired))
    .sort((a, b) => b.fires - a.fires || a.rule.localeCompare(b.rule));
  const abTests: AbArmStats[] = [];
  for (const [name, held] of byRule) {
    if (!name.endsWith(HOLDOUT_SUFFIX)) continue;
    const rule = name.slice(0, -HOLDOUT_SUFFIX.length);
    const appliedRows = byRule.get(rule) ?? [];
    const applied = ruleStats(rule, appliedRows);
    const holdout = ruleStats(name, held);
    abTests.push({
      rule,
      applied,
      holdout,
      qualityDelta: applied.avgQuality !== null && holdout.avgQuality !== null ? applied.avgQuality - holdout.avgQuality : null,
      qualityDeltaCi95: qualityDeltaCi95(appliedRows, held),
      costDeltaUsd: applied.avgCostUsd - holdout.avgCostUsd,
    });
  }
  return { rules, abTests: abTests.sort((a, b) => a.rule.localeCompare(b.rule)) };
}

/**
 * Optimal versus actual routing: for every answered request with a quality signal, the model that
 * would have been best under the goal in hindsight (the answered model as observed, the others as the
 * calibrated expectation from the decision's own candidates) against the one that answered.
 */
export function analyzeDecisions(rows: readonly HistoryRow[], ctx: ReplayContext, goal: Goal, qualityThreshold: number): DecisionAnalysis {
  const misses: MissedDecision[] = [];
  const perType = new Map<string, { analyzed: number; optimal: number; missedUsd: number; best: Map<string, number> }>();
  let analyzed = 0;
  let optimal = 0;
  let spentUsd = 0;
  for (const row of rows) {
    if (row.quality === null || row.status >= 400 || row.modelUsed === null) continue;
    const best = bestInHindsight(hindsightOptions(row, ctx), goal, qualityThreshold);
    if (!best?.model) continue;
    analyzed += 1;
    spentUsd += row.costUsd;
    const t = perType.get(row.taskType) ?? { analyzed: 0, optimal: 0, missedUsd: 0, best: new Map<string, number>() };
    t.analyzed += 1;
    t.best.set(best.model, (t.best.get(best.model) ?? 0) + 1);
    perType.set(row.taskType, t);
    if (best.model === row.modelUsed) {
      optimal += 1;
      t.optimal += 1;
      continue;
    }
    const missedSavingsUsd = Math.max(0, row.costUsd - best.costUsd);
    t.missedUsd += missedSavingsUsd;
    misses.push({
      requestId: row.requestId,
      taskType: row.taskType,
      complexity: row.complexity,
      usedModel: row.modelUsed,
      observedQuality: row.quality,
      costUsd: row.costUsd,
      bestModel: best.model,
      bestExpectedQuality: best.quality ?? 0,
      bestExpectedCostUsd: best.costUsd,
      missedSavingsUsd,
    });
  }
  const missedSavingsUsd = misses.reduce((s, m) => s + m.missedSavingsUsd, 0);
  const byTaskType = [...perType.entries()]
    .map(([taskType, t]) => ({
      taskType,
      analyzed: t.analyzed,
      optimalShare: t.optimal / t.analyzed,
      missedSavingsUsd: t.missedUsd,
      bestModel: [...t.best.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '',
    }))
    .sort((a, b) => b.missedSavingsUsd - a.missedSavingsUsd || a.taskType.localeCompare(b.taskType));
  return {
    goal,
    qualityThreshold,
    analyzed,
    optimalShare: analyzed > 0 ? optimal / analyzed : null,
    missedSavingsUsd,
    missedSavingsShare: spentUsd > 0 ? missedSavingsUsd / spentUsd : 0,
    byTaskType,
    topMisses: misses.sort((a, b) => b.missedSavingsUsd - a.missedSavingsUsd).slice(0, 10),
    ...analyzeRules(rows),
  };
}
