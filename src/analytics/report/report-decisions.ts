import type { Recommendations } from '../recommend/build-recommendations.ts';
import type { AbArmStats } from '../recommend/decision-analysis.ts';
import { RECOMMENDATIONS_SOURCE } from './assemble-recommendations.ts';
import type { Metric, ReportDocument } from './report-document.ts';

const metric = (value: number | null, unit: Metric['unit']): Metric => ({ value, unit, source: RECOMMENDATIONS_SOURCE });
const pctOf = (share: number | null) => metric(share === null ? null : share * 100, 'percent');

/** Rated requests per arm below which an A/B outcome is reported as still collecting. */
const AB_MIN_RATED_PER_ARM = 30;

/**
 * What the next report says about a rule applied as an A/B split: better, worse or no measurable
 * difference, decided by whether the 95% interval of the quality difference excludes 0.
 */
export function abVerdict(ab: AbArmStats): string {
  const rated = Math.min(ab.applied.qualitySamples, ab.holdout.qualitySamples);
  if (ab.qualityDelta === null || ab.qualityDeltaCi95 === null) return 'no quality signal on one arm yet: keep collecting feedback before deciding';
  const [low, high] = ab.qualityDeltaCi95;
  const cost = `${ab.costDeltaUsd <= 0 ? 'saves' : 'adds'} $${Math.abs(ab.costDeltaUsd).toFixed(6)} per request`;
  const few = rated < AB_MIN_RATED_PER_ARM ? ` (only ${rated} rated requests on the smaller arm; ${AB_MIN_RATED_PER_ARM} wanted)` : '';
  if (low > 0)
    return `applied arm scores higher (quality ${signed(ab.qualityDelta)}, 95% CI ${signed(low)}…${signed(high)}) and ${cost}: roll out to 100%${few}`;
  if (high < 0) return `applied arm scores lower (quality ${signed(ab.qualityDelta)}, 95% CI ${signed(low)}…${signed(high)}): roll the rule back${few}`;
  return `no measurable quality difference (95% CI ${signed(low)}…${signed(high)}); it ${cost}${few}`;
}

function signed(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
}

/** The routing decision analysis (hindsight best vs chosen, missed savings, per-rule effectiveness, A/B arms). */
export function decisionSummaryOf(set: Recommendations): ReportDocument['current_state']['decisions'] {
  const d = set.decisions;
  return {
    analyzed: metric(d.analyzed, 'count'),
    optimal_share_pct: pctOf(d.optimalShare),
    missed_savings_usd: metric(d.missedSavingsUsd * set.window.sampleScale, 'usd'),
    missed_savings_share_pct: pctOf(d.analyzed > 0 ? d.missedSavingsShare : null),
    by_task_type: d.byTaskType.map((t) => ({
      task_type: t.taskType,
      analyzed: metric(t.analyzed, 'count'),
      optimal_share_pct: pctOf(t.optimalShare),
      missed_savings_usd: metric(t.missedSavingsUsd * set.window.sampleScale, 'usd'),
      best_model: t.bestModel,
    })),
    rules: d.rules.map((r) => ({
      rule: r.rule,
      fires: metric(r.fires, 'count'),
      avg_quality: metric(r.avgQuality, 'score'),
      avg_cost_usd: metric(r.avgCostUsd, 'usd'),
      avg_latency_ms: metric(r.avgLatencyMs, 'ms'),
    })),
    ab_tests: d.abTests.map((ab) => ({
      rule: ab.rule,
      applied_fires: metric(ab.applied.fires, 'count'),
      holdout_fires: metric(ab.holdout.fires, 'count'),
      quality_delta: metric(ab.qualityDelta, 'score'),
      quality_delta_ci95: ab.qualityDeltaCi95,
      cost_delta_usd: metric(ab.costDeltaUsd, 'usd'),
      verdict: abVerdict(ab),
    })),
  };
}

/** The target-reduction plan and, when goals pull apart, the scenario under each goal. */
export function costPlanAndScenariosOf(set: Recommendations): Pick<ReportDocument['opportunities'], 'cost_reduction_plan' | 'trade_off_scenarios'> {
  const p = set.costReductionPlan;
  return {
    cost_reduction_plan: {
      target_pct: metric(p.targetReductionPct, 'percent'),
      reachable: p.reachable,
      expected_reduction_pct: metric(p.recommendationIds.length > 0 ? p.expectedReductionPct : null, 'percent'),
      expected_quality: metric(p.expectedQuality, 'score'),
      recommendation_ids: p.recommendationIds,
      statement: p.statement,
      trade_offs: p.tradeOffs.map((t) => ({
        quality_floor: t.qualityFloor,
        expected_reduction_pct: metric(t.expectedReductionPct, 'percent'),
        expected_quality: metric(t.expectedQuality, 'score'),
      })),
    },
    trade_off_scenarios: set.scenarios.map((s) => ({
      goal: s.goal,
      recommendations: metric(s.recommendationCount, 'count'),
      avg_cost_usd: metric(set.window.requests > 0 ? s.avgCostUsd : null, 'usd'),
      avg_quality: metric(s.avgQuality, 'score'),
      avg_latency_ms: metric(set.window.requests > 0 ? s.avgLatencyMs : null, 'ms'),
      cost_change_pct: metric(set.window.requests > 0 ? s.costChangePct : null, 'percent'),
    })),
  };
}
