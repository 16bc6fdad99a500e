import type { GatewayConfig, Goal, RoutingRule, RuleAction } from '../../config/schema.ts';
import { RoutingRule as RoutingRuleSchema } from '../../config/schema.ts';
import type { HistoryRow } from './load-history.ts';
import {
  addOutcome,
  avgCostUsd,
  avgLatencyMs,
  avgQuality,
  emptyTotals,
  expectedOutcome,
  observedOutcome,
  replayChoice,
  type OutcomeTotals,
  type ReplayContext,
  type RequestOutcome,
} from './replay.ts';
import { BALANCED_LAMBDA_COST, BALANCED_LAMBDA_LATENCY } from '../../router/policy/score-candidate.ts';

/** A segment needs this many answered requests before a rule for it is proposed. */
export const MIN_SEGMENT_REQUESTS = 5;
/** Complexity thresholds tried per task type: these quantiles of its observed complexity, and "all". */
const THRESHOLD_QUANTILES = [0.25, 0.5, 0.75];
/** min_quality values tried: the floor itself and these steps below it. */
const MIN_QUALITY_STEPS = [0, 0.05, 0.1];

export interface SearchConstraints {
  goal: Goal;
  maxCostUsdPerRequest: number | undefined;
  minQuality: number;
}

export interface SearchOptions {
  /** Also try `prefer: [model]` for every selectable model (default true); the scenario and trade-off searches skip it to stay fast. */
  preferModels?: boolean;
}

/** A rule the search found, with the quick estimate it was ranked by (the recommendation re-replays it exactly). */
export interface SearchHit {
  rule: RoutingRule;
  taskType: string;
  impact: number;
  baseline: OutcomeTotals;
  expected: OutcomeTotals;
}

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))));
  return sorted[i] ?? 0;
}

/** The actions tried for a task type: the goal at a min_quality, alone or preferring one of the selectable models or tiers. */
function candidateActions(rows: readonly HistoryRow[], ctx: ReplayContext, c: SearchConstraints, preferModels: boolean): RuleAction[] {
  const configured = new Set(ctx.config.models.map((m) => m.id));
  const models = new Set<string>();
  for (const row of rows) for (const cand of row.candidates) if (configured.has(cand.model)) models.add(cand.model);
  // The policy compares raw predictions with min_quality; where the history shows a model does better
  // than predicted, a lower min_quality lets the router pick it while the measured quality stays above
  // the floor (the replay checks that with calibrated quality). Highest floor first, so it wins ties.
  const floors = [...new Set(MIN_QUALITY_STEPS.map((step) => Math.round((c.minQuality - step) * 100) / 100))].filter((q) => q >= 0);
  const actions: RuleAction[] = floors.map((minQuality) => ({ goal: c.goal, min_quality: minQuality }));
  // Preferring a model is tried at the floor itself only: the lower floors are there for the goal's own choice.
  if (preferModels) {
    for (const model of [...models].sort()) actions.push({ prefer: [model], goal: c.goal, min_quality: c.minQuality });
    const tiers = new Set(ctx.config.models.filter((m) => models.has(m.id)).map((m) => m.tier));
    for (const tier of [...tiers].sort()) actions.push({ prefer: [`tier:${tier}`], goal: c.goal, min_quality: c.minQuality });
  }
  return actions;
}

/** The virtual model a client gets when it leaves the trade-off to the gateway. */
export const DEFAULT_ROUTING_MODEL = 'auto';

/**
 * The routing models a rule generated for `goal` may change: `auto` (the caller left the trade-off to
 * the gateway) and the virtual models whose own goal is `goal` (`auto-cost` under goal cost). Never
 * another goal's virtual model — an `auto-quality` caller asked for quality, and a rule beats the
 * virtual model's goal — and never a named model (no routing decision to change).
 */
export function routingModelsFor(config: Pick<GatewayConfig, 'routing'>, goal: Goal): string[] {
  const names = Object.entries(config.routing.virtual_models)
    .filter(([name, vm]) => name === DEFAULT_ROUTING_MODEL || vm.goal === goal)
    .map(([name]) => name);
  return names.sort();
}

function ruleName(taskType: string, action: RuleAction, maxComplexity: number | undefined): string {
  const target = `${action.prefer?.[0]?.replace(/[^a-z0-9]+/gi, '-') ?? action.goal ?? 'goal'}-q${action.min_quality ?? ''}`;
  return `rec-${taskType}-${target}${maxComplexity === undefined ? '' : `-c${maxComplexity}`}`.toLowerCase();
}

export function makeRule(
  taskType: string,
  action: RuleAction,
  maxComplexity: number | undefined,
  description: string,
  routingModels: readonly string[],
): RoutingRule {
  return RoutingRuleSchema.parse({
    name: ruleName(taskType, action, maxComplexity),
    description,
    match: { task_types: [taskType], ...(maxComplexity === undefined ? {} : { complexity: { max: maxComplexity } }), routing_models: [...routingModels] },
    action,
  });
}

/** How much better `after` is than `before` under the goal; positive is better. */
export function goalImpact(goal: Goal, before: OutcomeTotals, after: OutcomeTotals): number {
  const qBefore = avgQuality(before) ?? 0;
  const qAfter = avgQuality(after) ?? 0;
  switch (goal) {
    case 'cost':
      return before.costUsd - after.costUsd;
    case 'speed':
      return avgLatencyMs(before) - avgLatencyMs(after);
    case 'quality':
      return qAfter - qBefore;
    case 'balanced': {
      const costRatio = avgCostUsd(before) > 0 ? Math.max(1e-9, avgCostUsd(after)) / avgCostUsd(before) : 1;
      const latencyRatio = avgLatencyMs(before) > 0 ? Math.max(1e-9, avgLatencyMs(after)) / avgLatencyMs(before) : 1;
      return qAfter - qBefore - BALANCED_LAMBDA_COST * Math.log10(costRatio) - BALANCED_LAMBDA_LATENCY * Math.log10(latencyRatio);
    }
  }
}

/** A limit holds when the value is within it, or, where the history already breaks it, when the change does not make it worse. */
function within(after: number | null, before: number | null, limit: number, direction: 'max' | 'min'): boolean {
  if (after === null) return true;
  const ok = direction === 'max' ? after < limit : after > limit;
  if (ok) return true;
  if (before === null) return false;
  return direction === 'max' ? after <= before + 1e-12 : after >= before - 1e-9;
}

export function meetsConstraints(
  c: SearchConstraints,
  window: { before: OutcomeTotals; after: OutcomeTotals },
  segment: { before: OutcomeTotals; after: OutcomeTotals },
): { cost: boolean; quality: boolean } {
  const cost = c.maxCostUsdPerRequest === undefined || within(avgCostUsd(window.after), avgCostUsd(window.before), c.maxCostUsdPerRequest, 'max');
  const quality =
    within(avgQuality(window.after), avgQuality(window.before), c.minQuality, 'min') &&
    within(avgQuality(segment.after), avgQuality(segment.before), c.minQuality, 'min');
  return { cost, quality };
}

/**
 * Searches task types × complexity thresholds × actions for rule changes (each scoped to the routing
 * models the goal may change) that improve the goal while
 * keeping quality above the floor (and cost under the cap), best first, at most one per task type so
 * the recommendations do not overlap. The per-row choice under an action does not depend on the
 * threshold, so each action is replayed once per task type and the thresholds only filter.
 */
export function searchRuleChanges(rows: readonly HistoryRow[], ctx: ReplayContext, c: SearchConstraints, opts: SearchOptions = {}): SearchHit[] {
  const windowBaseline = emptyTotals();
  const observed = rows.map((row) => observedOutcome(row, ctx));
  for (const o of observed) addOutcome(windowBaseline, o);
  // Only requests whose routing model lets the goal change them form segments (see routingModelsFor).
  const routingModels = routingModelsFor(ctx.config, c.goal);
  const allowed = new Set(routingModels);
  const byTaskType = new Map<string, number[]>();
  rows.forEach((row, i) => {
    if (row.status >= 400 || !allowed.has(row.routingModel)) return;
    const list = byTaskType.get(row.taskType) ?? [];
    list.push(i);
    byTaskType.set(row.taskType, list);
  });
  const hits: SearchHit[] = [];
  for (const [taskType, indices] of [...byTaskType.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (indices.length < MIN_SEGMENT_REQUESTS) continue;
    const segmentRows = indices.map((i) => rows[i] as HistoryRow);
    const complexities = segmentRows.map((r) => r.complexity).sort((a, b) => a - b);
    const thresholds = [...new Set(THRESHOLD_QUANTILES.map((q) => Math.round(quantile(complexities, q) * 100) / 100)), undefined];
    const before = segmentRows.map((row) => replayChoice(row, ctx, []));
    let best: SearchHit | undefined;
    for (const action of candidateActions(segmentRows, ctx, c, opts.preferModels ?? true)) {
      const probe = makeRule(taskType, action, undefined, '', routingModels);
      const switched: Array<RequestOutcome | undefined> = segmentRows.map((row, k) => {
        const after = replayChoice(row, ctx, [probe]);
        const was = before[k];
        return after && was && after.model !== was.model && after.model !== row.modelUsed ? expectedOutcome(row, after, ctx) : undefined;
      });
      for (const max of thresholds) {
        const segBefore = emptyTotals();
        const segAfter = emptyTotals();
        const windowAfter = { ...windowBaseline };
        let affected = 0;
        segmentRows.forEach((row, k) => {
          if (max !== undefined && row.complexity > max) return;
          const was = observed[indices[k] as number] as RequestOutcome;
          const now = switched[k] ?? was;
          addOutcome(segBefore, was);
          addOutcome(segAfter, now);
          if (switched[k]) {
            affected += 1;
            windowAfter.costUsd += now.costUsd - was.costUsd;
            windowAfter.latencyMs += now.latencyMs - was.latencyMs;
            windowAfter.qualitySum += (now.quality ?? 0) - (was.quality ?? 0);
            windowAfter.qualityCount += (now.quality === null ? 0 : 1) - (was.quality === null ? 0 : 1);
          }
        });
        if (affected === 0) continue;
        const ok = meetsConstraints(c, { before: windowBaseline, after: windowAfter }, { before: segBefore, after: segAfter });
        const impact = goalImpact(c.goal, windowBaseline, windowAfter);
        if (!ok.quality || !ok.cost || impact <= 1e-12) continue;
        if (!best || impact > best.impact) {
          best = { rule: makeRule(taskType, action, max, '', routingModels), taskType, impact, baseline: segBefore, expected: segAfter };
        }
      }
    }
    if (best) hits.push(best);
  }
  return hits.sort((a, b) => b.impact - a.impact || a.taskType.localeCompare(b.taskType));
}
