import type { Recommendations } from '../recommend/build-recommendations.ts';
import type { Level as RecLevel, PlanPhase, RuleRecommendation } from '../recommend/types.ts';
import type { MatrixCell, Metric, PlanItem, ReportDocument, ReportRecommendation } from './report-document.ts';

export const RECOMMENDATIONS_SOURCE = 'recommendations';

const metric = (value: number | null, unit: Metric['unit']): Metric => ({ value, unit, source: RECOMMENDATIONS_SOURCE });

function qualityDelta(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

/** One replayed rule change in the seed's recommendation format. */
export function toReportRecommendation(r: RuleRecommendation): ReportRecommendation {
  // A field-by-field mapping into the seed's snake_case format (same shape as other row mappings, different fields).
  const i = r.expectedImpact;
  return {
    id: r.id,
    category: r.category,
    current_state: r.currentState,
    recommended_change: r.recommendedChange,
    scope: r.scope,
    expected_impact: `${r.title}: replayed over ${i.requests.toLocaleString('en-US')} routed requests, it switches ${i.affectedRequests.toLocaleString('en-US')} (${(i.affectedShare * 100).toFixed(1)}% of them); segment quality ${i.segmentQualityBefore?.toFixed(3) ?? 'n/a'} → ${i.segmentQualityAfter?.toFixed(3) ?? 'n/a'}; confidence ${r.confidence}`,
    cost_change_pct: metric(i.costChangePct, 'percent'),
    quality_change: metric(qualityDelta(i.avgQualityBefore, i.avgQualityAfter), 'score'),
    latency_change_pct: metric(i.latencyChangePct, 'percent'),
    savings_usd: metric(-i.costChangeUsd, 'usd'),
    effort: r.effort,
    risk: r.risk.level,
    validation_criteria: r.validationCriteria,
    rationale: r.rationale,
    risk_assessment: { quality: r.risk.qualityRisk, performance: r.risk.performanceRisk, cost: r.risk.costRisk, mitigations: r.risk.mitigations },
    rule: r.ruleYaml,
  };
}

/**
 * Impact by the share of the window's spend a change saves or the quality it adds: high ≥ 10% or
 * +0.05, medium ≥ 3% or +0.02, low otherwise.
 */
export function impactLevel(r: ReportRecommendation): 'high' | 'medium' | 'low' {
  const savedPct = -(r.cost_change_pct.value ?? 0);
  const gained = r.quality_change.value ?? 0;
  if (savedPct >= 10 || gained >= 0.05) return 'high';
  if (savedPct >= 3 || gained >= 0.02) return 'medium';
  return 'low';
}

export function opportunitiesOf(recs: readonly ReportRecommendation[]): Pick<ReportDocument['opportunities'], 'high' | 'medium' | 'low'> {
  return {
    high: recs.filter((r) => impactLevel(r) === 'high'),
    medium: recs.filter((r) => impactLevel(r) === 'medium'),
    low: recs.filter((r) => impactLevel(r) === 'low'),
  };
}

function topModel(shares: Readonly<Record<string, number>>): string | null {
  let best: string | null = null;
  for (const [model, share] of Object.entries(shares)) if (best === null || share > (shares[best] ?? 0)) best = model;
  return best;
}

function bandOf(min: number | undefined, max: number | undefined): string {
  if (min === undefined && max === undefined) return 'all';
  if (min === undefined) return `≤ ${max}`;
  if (max === undefined) return `> ${min}`;
  return `${min}–${max}`;
}

/**
 * Task type × complexity band → model: each recommended rule's segment gets its preferred model
 * (with the replayed quality and cost per request of that segment); the rest of each task type keeps
 * the model the recommended mix uses most, with its observed numbers where no rule touches it.
 */
export function modelSelectionMatrix(set: Recommendations): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const mix of set.modelMix) {
    const rules = set.recommendations.filter((r) => r.rule.match.task_types?.includes(mix.taskType as never));
    for (const r of rules) {
      const i = r.expectedImpact;
      cells.push({
        task_type: mix.taskType,
        complexity_band: bandOf(r.rule.match.complexity?.min, r.rule.match.complexity?.max),
        model: r.rule.action.prefer?.[0] ?? `best for goal ${r.rule.action.goal ?? set.goal}`,
        current_model: topModel(mix.current),
        expected_quality: metric(i.segmentQualityAfter, 'score'),
        expected_cost_usd: metric(i.segmentAvgCostUsdAfter, 'usd'),
        requests: metric(i.matchedRequests, 'count'),
      });
    }
    const rest = topModel(mix.recommended);
    const covered = rules.some((r) => r.rule.match.complexity === undefined);
    if (rest !== null && !covered) {
      const maxes = rules.map((r) => r.rule.match.complexity?.max).filter((x): x is number => x !== undefined);
      cells.push({
        task_type: mix.taskType,
        complexity_band: maxes.length ? `> ${Math.min(...maxes)}` : 'all',
        model: rest,
        current_model: topModel(mix.current),
        // No rule changes this part: what it does now is what to expect (the whole task type when no rule touches it).
        expected_quality: metric(rules.length === 0 ? mix.avgQuality : null, 'score'),
        expected_cost_usd: metric(rules.length === 0 ? mix.avgCostUsd : null, 'usd'),
        requests: metric(rules.length === 0 ? mix.requests : mix.requests - rules.reduce((n, r) => n + r.expectedImpact.matchedRequests, 0), 'count'),
      });
    }
  }
  return cells;
}

function levelOfIds(ids: readonly string[], recs: readonly RuleRecommendation[], pickLevel: (r: RuleRecommendation) => RecLevel): RecLevel {
  const levels = recs.filter((r) => ids.includes(r.id)).map(pickLevel);
  return levels.includes('High') ? 'High' : levels.includes('Medium') ? 'Medium' : 'Low';
}

function planItems(phase: PlanPhase | undefined, recs: readonly RuleRecommendation[]): PlanItem[] {
  if (!phase) return [];
  return phase.actions.map((action) => {
    const id = phase.recommendationIds.find((x) => action.includes(x)) ?? null;
    const ids = id ? [id] : [];
    return {
      action,
      recommendation_id: id,
      effort: levelOfIds(ids, recs, (r) => r.effort),
      risk: levelOfIds(ids, recs, (r) => r.risk.level),
      timeline: phase.timeline,
    };
  });
}

export function implementationPlanOf(set: Recommendations): ReportDocument['implementation_plan'] {
  return {
    phase_1: planItems(set.phases[0], set.recommendations),
    phase_2: planItems(set.phases[1], set.recommendations),
    phase_3: planItems(set.phases[2], set.recommendations),
  };
}

/** Payback in words that fit the plan: a plan that adds cost (goal quality or speed) has no money to pay back. */
function roiTimeline(c: Recommendations['combinedImpact']): string {
  if (!c) return 'No change to pay back: no rule change meets the constraints on this history.';
  if (c.costChangeUsd > 0) {
    const quality = qualityDelta(c.avgQualityBefore, c.avgQualityAfter);
    return (
      `No money payback: these changes add $${c.costChangeUsd.toFixed(4)} over the analysis period (${c.costChangePct.toFixed(1)}% of the routed requests' spend)` +
      `${quality === null ? '' : ` for a quality change of ${quality >= 0 ? '+' : ''}${quality.toFixed(3)}`}; apply them for what they buy, and check it over one report period.`
    );
  }
  return 'Immediate: each change is a routing-rule edit (`aigw rules apply ID`) with no cost to implement, so savings start with the first routed request; validate over one report period.';
}

export function expectedOutcomesOf(set: Recommendations): ReportDocument['expected_outcomes'] {
  const c = set.combinedImpact;
  return {
    cost_reduction_pct: metric(c ? -c.costChangePct : null, 'percent'),
    cost_reduction_usd: metric(c ? -c.costChangeUsd : null, 'usd'),
    latency_improvement_pct: metric(c ? -c.latencyChangePct : null, 'percent'),
    quality_change: metric(c ? qualityDelta(c.avgQualityBefore, c.avgQualityAfter) : null, 'score'),
    roi_timeline: roiTimeline(c),
  };
}
