import type { Goal } from '../../config/schema.ts';
import type { HistoryRow } from './load-history.ts';
import { addOutcome, avgCostUsd, avgQuality, emptyTotals, observedOutcome, replayPolicyChange, type OutcomeTotals, type ReplayContext } from './replay.ts';
import { toExpectedImpact } from './assess.ts';
import { searchRuleChanges, type SearchConstraints, type SearchHit } from './search.ts';
import type { CostReductionPlan, GoalScenario, ModelMixChange, PlanPhase, RuleRecommendation } from './types.ts';
import { GOALS } from '../../config/schema.ts';
import { reductionWords } from './wording.ts';

function shares(counts: ReadonlyMap<string, number>): Record<string, number> {
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  const out: Record<string, number> = {};
  for (const [model, n] of [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out[model] = total > 0 ? n / total : 0;
  return out;
}

/** Model share per task type now and with every recommended rule applied together. */
export function modelMixChanges(rows: readonly HistoryRow[], ctx: ReplayContext, recs: readonly RuleRecommendation[]): ModelMixChange[] {
  const now = replayPolicyChange(rows, ctx, []);
  const next = replayPolicyChange(
    rows,
    ctx,
    recs.map((r) => r.rule),
  );
  // The task type's observed numbers (as the replay's baseline sees them), for the matrix rows no rule changes.
  const observed = new Map<string, OutcomeTotals>();
  for (const row of rows) {
    const t = observed.get(row.taskType) ?? emptyTotals();
    addOutcome(t, observedOutcome(row, ctx));
    observed.set(row.taskType, t);
  }
  return [...now.mixByTaskType.keys()].sort().map((taskType) => ({
    taskType,
    requests: observed.get(taskType)?.requests ?? 0,
    avgCostUsd: avgCostUsd(observed.get(taskType) ?? emptyTotals()),
    avgQuality: avgQuality(observed.get(taskType) ?? emptyTotals()),
    current: shares(now.mixByTaskType.get(taskType) ?? new Map()),
    recommended: shares(next.mixByTaskType.get(taskType) ?? new Map()),
  }));
}

/** The whole window replayed under the given rules, as an expected impact (scale 1: the window itself). */
function replayedImpact(rows: readonly HistoryRow[], ctx: ReplayContext, rules: Parameters<typeof replayPolicyChange>[2]): ReturnType<typeof toExpectedImpact> {
  return toExpectedImpact(replayPolicyChange(rows, ctx, rules), 1);
}

/** Lower quality floors tried when the target reduction is out of reach at the requested floor. */
const FLOOR_STEPS = [0.05, 0.1, 0.15];

/**
 * The smallest set of changes (taken by savings, largest first) whose combined replay reaches the target
 * reduction; or a plain statement that it cannot be reached at the quality floor, with what lower floors
 * would give.
 */
export function costReductionPlan(
  rows: readonly HistoryRow[],
  ctx: ReplayContext,
  recs: readonly RuleRecommendation[],
  c: SearchConstraints,
  targetReductionPct: number,
): CostReductionPlan {
  const bySavings = [...recs].filter((r) => r.expectedImpact.costChangeUsd < 0).sort((a, b) => a.expectedImpact.costChangeUsd - b.expectedImpact.costChangeUsd);
  const chosen: RuleRecommendation[] = [];
  let reduction = 0;
  let quality: number | null = null;
  for (const rec of bySavings) {
    chosen.push(rec);
    const impact = replayedImpact(
      rows,
      ctx,
      chosen.map((r) => r.rule),
    );
    reduction = -impact.costChangePct;
    quality = impact.avgQualityAfter;
    if (reduction >= targetReductionPct) break;
  }
  const reachable = reduction >= targetReductionPct;
  const ids = chosen.map((r) => r.id);
  const chosenSet = { targetReductionPct, reachable, recommendationIds: ids, expectedReductionPct: reduction, expectedQuality: quality };
  if (reachable) {
    return {
      ...chosenSet,
      statement: `${ids.length} change(s) reach the ${targetReductionPct}% target: expected ${reductionWords(reduction)} at average quality ${quality?.toFixed(3) ?? 'n/a'} (floor ${c.minQuality}).`,
      tradeOffs: [],
    };
  }
  const floors = FLOOR_STEPS.map((step) => Math.max(0, Math.round((c.minQuality - step) * 100) / 100)).filter(
    (floor, i, all) => floor < c.minQuality && all.indexOf(floor) === i,
  );
  const tradeOffs: CostReductionPlan['tradeOffs'] = [];
  // Lower floors only until one reaches the target: each is a full search.
  for (const floor of floors) {
    const hits = searchRuleChanges(rows, ctx, { ...c, goal: 'cost', minQuality: floor }, { preferModels: false });
    const impact = replayedImpact(
      rows,
      ctx,
      hits.map((h) => h.rule),
    );
    tradeOffs.push({ qualityFloor: floor, expectedReductionPct: -impact.costChangePct, expectedQuality: impact.avgQualityAfter });
    if (-impact.costChangePct >= targetReductionPct) break;
  }
  const reachingFloor = tradeOffs.find((t) => t.expectedReductionPct >= targetReductionPct);
  const tradeOff = reachingFloor
    ? ` Accepting a quality floor of ${reachingFloor.qualityFloor} would reach ${reductionWords(reachingFloor.expectedReductionPct)} at average quality ${reachingFloor.expectedQuality?.toFixed(3) ?? 'n/a'}.`
    : ' No quality floor down to ' +
      (tradeOffs.at(-1)?.qualityFloor ?? c.minQuality) +
      ' reaches it with routing rules alone; cheaper models or caching are needed.';
  return {
    ...chosenSet,
    statement: `The ${targetReductionPct}% target cannot be reached within the quality floor ${c.minQuality}: all ${ids.length} cost-saving change(s) together give ${ids.length === 0 ? 'nothing' : reductionWords(reduction)}.${tradeOff}`,
    tradeOffs,
  };
}

/** Three phases: low-risk changes as A/B splits now, the rest after they validate, then the data and catalog work. */
export function phasedPlan(recs: readonly RuleRecommendation[], missing: readonly string[]): PlanPhase[] {
  const quick = recs.filter((r) => r.risk.level === 'Low' && r.effort === 'Low');
  const tactical = recs.filter((r) => !quick.includes(r) && r.risk.level !== 'High');
  const strategic = recs.filter((r) => r.risk.level === 'High');
  return [
    {
      name: 'Phase 1: Immediate Changes',
      timeline: 'Week 1',
      actions: quick.length
        ? quick.map((r) => `apply ${r.id} (${r.title}) as an A/B split: aigw rules apply ${r.id} --percent 20`)
        : ['no low-risk change found; start by collecting quality signals (POST /v1/feedback, judge sampling)'],
      recommendationIds: quick.map((r) => r.id),
    },
    {
      name: 'Phase 2: Tactical Improvements',
      timeline: 'Weeks 2-4',
      actions: [
        ...quick.map((r) => `roll ${r.id} out to 100% once its A/B arm meets its validation criteria`),
        ...tactical.map((r) => `apply ${r.id} (${r.title}) at 20%, then 100% after validation`),
      ],
      recommendationIds: tactical.map((r) => r.id),
    },
    {
      name: 'Phase 3: Strategic Enhancements',
      timeline: 'Months 2-3',
      actions: [
        ...strategic.map((r) => `measure before applying ${r.id} (${r.title}): raise the judge sample rate for its task type`),
        ...missing.map((m) => `close the data gap: ${m}`),
        'retrain the quality predictor on the collected feedback so the router predicts what the history now measures',
      ],
      recommendationIds: strategic.map((r) => r.id),
    },
  ];
}

/** The best rule set under each goal, replayed, so conflicting goals can be weighed against each other. */
export function goalScenarios(
  rows: readonly HistoryRow[],
  ctx: ReplayContext,
  c: SearchConstraints,
  maxRules: number,
  hitsForGoal: readonly SearchHit[],
): GoalScenario[] {
  return GOALS.map((goal) => {
    const hits = (goal === c.goal ? hitsForGoal : searchRuleChanges(rows, ctx, { ...c, goal }, { preferModels: false })).slice(0, maxRules);
    const impact = replayedImpact(
      rows,
      ctx,
      hits.map((h) => h.rule),
    );
    return {
      goal,
      recommendationCount: hits.length,
      avgCostUsd: impact.avgCostUsdAfter,
      avgQuality: impact.avgQualityAfter,
      avgLatencyMs: impact.avgLatencyMsAfter,
      costChangePct: impact.costChangePct,
    };
  });
}

/**
 * Plain statements of where the goals and constraints pull apart: when no scenario meets both the cost
 * cap and the quality floor, and when the cheapest and the best scenarios differ in quality.
 */
export function goalConflicts(scenarios: readonly GoalScenario[], c: SearchConstraints): string[] {
  const conflicts: string[] = [];
  const meets = (s: GoalScenario) =>
    (c.maxCostUsdPerRequest === undefined || s.avgCostUsd < c.maxCostUsdPerRequest) && (s.avgQuality === null || s.avgQuality > c.minQuality);
  const describe = (s: GoalScenario) =>
    `${s.goal}: $${s.avgCostUsd.toFixed(6)}/request at quality ${s.avgQuality?.toFixed(3) ?? 'n/a'}, ${s.avgLatencyMs.toFixed(0)} ms`;
  if (scenarios.length > 0 && !scenarios.some(meets)) {
    conflicts.push(
      `no goal meets both cost < $${c.maxCostUsdPerRequest} and quality > ${c.minQuality}; the scenarios: ${scenarios.map(describe).join('; ')}. ` +
        'Prioritise one constraint: raise the cost cap or lower the quality floor.',
    );
  }
  const cost = scenarios.find((s) => s.goal === 'cost');
  const quality = scenarios.find((s) => s.goal === 'quality');
  const balanced = scenarios.find((s) => s.goal === 'balanced');
  if (
    cost &&
    quality &&
    cost.avgQuality !== null &&
    quality.avgQuality !== null &&
    quality.avgQuality - cost.avgQuality > 0.01 &&
    quality.avgCostUsd > cost.avgCostUsd
  ) {
    conflicts.push(
      `cost and quality trade off: ${describe(cost)} versus ${describe(quality)}` + (balanced ? `; the balanced approach: ${describe(balanced)}` : '') + '.',
    );
  }
  const chosen = scenarios.find((s) => s.goal === c.goal);
  const better: Record<Goal, ((s: GoalScenario, base: GoalScenario) => boolean) | undefined> = {
    cost: (s, base) => s.avgCostUsd < base.avgCostUsd * 0.99,
    speed: (s, base) => s.avgLatencyMs < base.avgLatencyMs * 0.99,
    quality: (s, base) => s.avgQuality !== null && base.avgQuality !== null && s.avgQuality > base.avgQuality + 0.005,
    balanced: undefined,
  };
  const beats = better[c.goal];
  if (chosen && beats) {
    // The search keeps one rule per task type and the few best by the goal, so another goal's set can do better on it.
    for (const s of scenarios) {
      if (s.goal === c.goal || !meets(s) || !beats(s, chosen)) continue;
      conflicts.push(
        `the rules found for goal ${s.goal} do better on ${c.goal} than those found for ${c.goal} (${describe(s)} versus ${describe(chosen)}): ` +
          `compare both sets (aigw report --goal ${s.goal}) before applying.`,
      );
    }
  }
  return conflicts;
}
