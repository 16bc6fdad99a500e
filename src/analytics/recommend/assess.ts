import { stringify } from 'yaml';
import type { RoutingRule } from '../../config/schema.ts';
import type { HistoryRow } from './load-history.ts';
import { MIN_COST_CELL_ROWS } from './calibrate.ts';
import { costChangeWords, intervalWords, latencyChangeWords, qualityChangeWords } from './wording.ts';
import { avgCostUsd, avgLatencyMs, avgQuality, type ReplayResult } from './replay.ts';
import type { SearchConstraints } from './search.ts';
import type { Confidence, ExpectedImpact, Level, RiskAssessment } from './types.ts';

const pct = (before: number, after: number): number => (before > 0 ? ((after - before) / before) * 100 : 0);

/** The replay's totals as before/after numbers; money over the window is scaled back up when the window was sampled. */
export function toExpectedImpact(r: ReplayResult, sampleScale: number): ExpectedImpact {
  return {
    requests: r.baseline.requests,
    matchedRequests: r.matched,
    affectedRequests: r.affected,
    affectedShare: r.baseline.requests > 0 ? r.affected / r.baseline.requests : 0,
    avgCostUsdBefore: avgCostUsd(r.baseline),
    avgCostUsdAfter: avgCostUsd(r.expected),
    costChangeUsd: (r.expected.costUsd - r.baseline.costUsd) * sampleScale,
    costChangePct: pct(r.baseline.costUsd, r.expected.costUsd),
    avgQualityBefore: avgQuality(r.baseline),
    avgQualityAfter: avgQuality(r.expected),
    segmentQualityBefore: avgQuality(r.segmentBaseline),
    segmentQualityAfter: avgQuality(r.segmentExpected),
    segmentQualityInterval: qualityInterval(r),
    segmentAvgCostUsdBefore: r.matched > 0 ? avgCostUsd(r.segmentBaseline) : null,
    segmentAvgCostUsdAfter: r.matched > 0 ? avgCostUsd(r.segmentExpected) : null,
    avgLatencyMsBefore: avgLatencyMs(r.baseline),
    avgLatencyMsAfter: avgLatencyMs(r.expected),
    latencyChangePct: pct(r.baseline.latencyMs, r.expected.latencyMs),
    predictedQualityShare: r.unobservedShare,
    costCalibration: [...r.costCells.values()].sort(
      (a, b) => b.requests - a.requests || a.model.localeCompare(b.model) || a.taskType.localeCompare(b.taskType),
    ),
  };
}

/** 95% interval of the segment's expected quality (normal approximation), within 0–1. */
function qualityInterval(r: ReplayResult): [number, number] | null {
  const q = avgQuality(r.segmentExpected);
  if (q === null || r.segmentExpected.qualityCount === 0) return null;
  const half = (1.96 * Math.sqrt(r.segmentQualityVariance)) / r.segmentExpected.qualityCount;
  return [Math.max(0, q - half), Math.min(1, q + half)];
}

/** Which cost ratios priced the switched requests, in words: the claim says whether task types had their own. */
export function describeCostCalibration(cells: ExpectedImpact['costCalibration']): string {
  if (cells.length === 0) return 'no request switches model';
  const own = cells.filter((c) => c.basis === 'model × task type');
  const parts = cells.map(
    (c) =>
      `${c.model} on ${c.taskType} ×${c.ratio.toFixed(2)} (${c.basis === 'model × task type' ? `its own ratio, ${c.rows} requests` : c.basis === 'model' ? `the model's ratio over all task types, ${c.rows} requests; fewer than ${MIN_COST_CELL_ROWS} on ${c.taskType}` : 'no answered requests: the estimate as is'})`,
  );
  const basis =
    own.length === cells.length
      ? 'per model and task type'
      : own.length === 0
        ? 'per model (pooled over task types)'
        : 'per model and task type where the data allows, pooled per model elsewhere';
  return `cost calibrated ${basis}: ${parts.join('; ')}`;
}

/** Rated requests in the rule's segment: how much the measured part of the impact rests on. */
export function segmentRatings(rows: readonly HistoryRow[], rule: RoutingRule): number {
  const { task_types: types, complexity } = rule.match;
  return rows.filter(
    (r) =>
      r.quality !== null &&
      (types === undefined || (types as readonly string[]).includes(r.taskType)) &&
      (complexity?.max === undefined || r.complexity <= complexity.max) &&
      (complexity?.min === undefined || r.complexity >= complexity.min),
  ).length;
}

/** high: ≥ 100 rated requests in the segment and measured quality for the new model; medium: ≥ 20 and mostly measured. */
export function confidenceOf(ratings: number, impact: ExpectedImpact): Confidence {
  if (ratings >= 100 && impact.predictedQualityShare <= 0.1) return 'high';
  if (ratings >= 20 && impact.predictedQualityShare <= 0.5) return 'medium';
  return 'low';
}

/**
 * Risk from how close the segment's expected quality comes to the floor, how much of it is predicted
 * rather than measured, and how much traffic moves.
 */
export function assessRisk(impact: ExpectedImpact, c: SearchConstraints): RiskAssessment {
  const after = impact.segmentQualityAfter;
  const before = impact.segmentQualityBefore;
  const margin = after === null ? null : after - c.minQuality;
  const drop = after !== null && before !== null ? before - after : 0;
  let level: Level = 'Low';
  if (margin === null || margin < 0.03 || impact.predictedQualityShare > 0.5) level = 'High';
  else if (margin < 0.07 || drop > 0.03 || impact.affectedShare > 0.3 || impact.predictedQualityShare > 0.1) level = 'Medium';
  const qualityRisk =
    after === null
      ? 'no quality signal for the affected requests: the quality impact is unknown'
      : `segment quality ${qualityChangeWords(before, after)}${intervalWords(impact)} (floor ${c.minQuality.toFixed(2)}, margin ${margin?.toFixed(3) ?? 'n/a'}); ` +
        `${Math.round(impact.predictedQualityShare * 100)}% of switched requests go to a model with too few ratings for this task type`;
  const performanceRisk = `average latency ${impact.avgLatencyMsBefore.toFixed(0)} → ${impact.avgLatencyMsAfter.toFixed(0)} ms (${latencyChangeWords(impact.latencyChangePct)})`;
  const costRisk = `average cost per request $${impact.avgCostUsdBefore.toFixed(6)} → $${impact.avgCostUsdAfter.toFixed(6)} (${costChangeWords(impact.costChangePct, impact.costChangeUsd)}); ${describeCostCalibration(impact.costCalibration)}`;
  const mitigations = [
    'apply as an A/B split first (`aigw rules apply ID --percent 20`) and compare the arms in the next report',
    `roll back (remove the rule, SIGHUP) if the rule's average quality falls below ${c.minQuality.toFixed(2)}`,
  ];
  if (impact.predictedQualityShare > 0.1) mitigations.push('raise the judge sample rate for this task type to measure the new model before full rollout');
  return { level, qualityRisk, performanceRisk, costRisk, mitigations };
}

/** A rule is a config edit (Low); routing a task type to a model it has never served there is Medium. */
export function effortOf(impact: ExpectedImpact): Level {
  return impact.predictedQualityShare > 0.5 ? 'Medium' : 'Low';
}

export function validationCriteria(rule: RoutingRule, impact: ExpectedImpact, c: SearchConstraints): string[] {
  const criteria = [
    `requests where ${rule.name} fires keep average quality ≥ ${c.minQuality.toFixed(2)} (at least 30 rated requests per arm)`,
    `average cost per request of the window at or below $${impact.avgCostUsdAfter.toFixed(6)} (±10%)`,
    `error rate of the requests where ${rule.name} fires not above the held-out share's`,
  ];
  if (c.maxCostUsdPerRequest !== undefined) criteria.push(`average cost per request under $${c.maxCostUsdPerRequest}`);
  return criteria;
}

export function ruleYaml(rule: RoutingRule): string {
  return stringify({ routing: { rules: [rule] } });
}
