import type { Kysely } from 'kysely';
import type { GatewayConfig } from '../../config/schema.ts';
import { describePriceSources } from '../../config/known-models/fill-known-models.ts';
import type { Database } from '../../store/schema.ts';
import { resolveAnalysisQuery, type AnalysisParams, type AnalysisQuery } from '../analysis-query.ts';
import { buildRecommendations, type Recommendations } from '../recommend/build-recommendations.ts';
import { DESCRIPTIVE_ANALYSES, analyses, type AnalysisResult, type DescriptiveAnalysisId } from './analyses.ts';
import { modelTiers } from '../routing-costs.ts';
import type { Store } from '../../store/types.ts';
import type { Bottlenecks } from '../bottlenecks.ts';
import type { CostDrivers } from '../cost-drivers.ts';
import type { QualityMetrics } from '../quality-metrics.ts';
import { costFindings, performanceFindings, qualityFindings } from './report-bottlenecks.ts';
import { costPlanAndScenariosOf, decisionSummaryOf } from './report-decisions.ts';
import {
  RECOMMENDATIONS_SOURCE,
  expectedOutcomesOf,
  implementationPlanOf,
  modelSelectionMatrix,
  opportunitiesOf,
  toReportRecommendation,
} from './assemble-recommendations.ts';
import { numberField, pairsField, type Fields } from './read-fields.ts';
import { REPORT_TITLE, UNCLASSIFIED, type Breakdown, type Metric, type ReportDocument, type Source } from './report-document.ts';
import type { ReportParams } from './report-params.ts';

export interface ReportOptions {
  goal: 'cost' | 'speed' | 'quality' | 'balanced';
  costThresholdUsd?: number;
  qualityThreshold?: number;
  /** Fraction: 0.2 plans for 20% lower cost. */
  targetReduction: number;
  /** The routing config in force: the history is replayed against its catalog and rules. */
  config: GatewayConfig;
  /** Where to keep the report's recommendations (status `proposed`), so its `aigw rules apply ID` lines work. */
  persistTo?: Pick<Store, 'insertRecommendations' | 'getRecommendation'>;
}

export function reportOptionsOf(p: ReportParams, config: GatewayConfig): ReportOptions {
  return { goal: p.goal, costThresholdUsd: p.cost_threshold, qualityThreshold: p.quality_threshold, targetReduction: p.target_reduction, config };
}

const QUERIES: Record<DescriptiveAnalysisId | typeof RECOMMENDATIONS_SOURCE, string> = {
  routing_analytics: 'requests (⋈ decisions for routing latency) with created_at in [from, to), filtered by task type, key and model',
  routing_costs: 'SUM(cost_usd) of requests in [from, to) grouped by model, task type, key and tier; per-bucket trend',
  quality_metrics:
    'quality cells in [from, to) (request rollup, plus feedback ⋈ requests for rated requests): quality by model and task type, completion by finish reason',
  request_patterns: 'decisions ⋈ requests in [from, to): task type mix, complexity, requests per hour and weekday',
  model_performance: 'request rollup per model and task type, quality cells (feedback ⋈ requests), latency p95 over requests in [from, to)',
  bottlenecks: "decisions in [from, to) by decision time; request rollup per model-hour against each model's median latency; server errors per minute",
  cost_drivers: 'request rollup in [from, to) ranked by cost per key, task type and model; input tokens, premium models at low complexity',
  quality_issues: 'quality cells (feedback ⋈ requests) in [from, to) below the quality threshold',
  recommendations: 'decisions ⋈ requests ⋈ feedback in [from, to), replayed through the current policy and each changed policy (buildRecommendations)',
};

/** The descriptive analyses the report's Current State section draws on. */
export const REPORTED_ANALYSES: readonly DescriptiveAnalysisId[] = [
  'routing_analytics',
  'routing_costs',
  'quality_metrics',
  'request_patterns',
  'bottlenecks',
  'cost_drivers',
];

/** The options each reported analysis runs with (the rest take none). */
function reportedOptionsOf(id: DescriptiveAnalysisId): Record<string, unknown> {
  return id === 'routing_costs' ? { group_by: ['model', 'task_type', 'tier'] } : {};
}

type Gathered = Partial<Record<DescriptiveAnalysisId, AnalysisResult>>;

async function gatherDescriptive(db: Kysely<Database>, q: AnalysisQuery, config: GatewayConfig): Promise<Gathered> {
  const host = { tierOf: modelTiers(config) };
  const results = await Promise.all(
    REPORTED_ANALYSES.map(async (id) => [id, await (await analyses.descriptive(id, host))(db, q, reportedOptionsOf(id))] as const),
  );
  return Object.fromEntries(results) as Gathered;
}

/** The report document: descriptive analyses and the replayed recommendations, each number with its source. */
export async function buildReport(db: Kysely<Database>, params: AnalysisParams, opts: ReportOptions, nowMs: number): Promise<ReportDocument> {
  const q = resolveAnalysisQuery(params, nowMs);
  const gaps: string[] = [];
  const [d, set] = await Promise.all([
    gatherDescriptive(db, q, opts.config),
    buildRecommendations(
      db,
      opts.config,
      {
        ...params,
        optimization_goal: opts.goal,
        ...(opts.costThresholdUsd !== undefined ? { cost_threshold: opts.costThresholdUsd } : {}),
        ...(opts.qualityThreshold !== undefined ? { quality_threshold: opts.qualityThreshold } : {}),
        target_reduction_pct: opts.targetReduction * 100,
      },
      { nowMs, ...(opts.persistTo ? { persistTo: opts.persistTo } : {}) },
    ),
  ]);
  for (const r of Object.values(d)) gaps.push(...r.data_gaps);
  if (numberField(d.routing_costs, 'trend_change_pct') === null && set.current.totalCostUsd > 0) {
    gaps.push(
      'the first half of the window cost nothing (traffic began in its second half): no cost trend yet; the next report over the same timeframe gives one',
    );
  }
  gaps.push(...set.missing, ...set.conflicts);
  const recs = set.recommendations.map(toReportRecommendation);
  const from = new Date(q.fromMs).toISOString();
  const to = new Date(q.toMs).toISOString();
  const sources: Source[] = [
    ...REPORTED_ANALYSES.map((id) => {
      const r = d[id];
      return {
        id,
        analysis: DESCRIPTIVE_ANALYSES[id].fn,
        query: `${QUERIES[id]} (GET /v1/analytics/${DESCRIPTIVE_ANALYSES[id].name})`,
        sample_size: r?.sample_size ?? 0,
      };
    }),
    { id: RECOMMENDATIONS_SOURCE, analysis: 'buildRecommendations', query: QUERIES.recommendations, sample_size: set.window.requests },
  ];
  const c = set.combinedImpact;
  return {
    title: REPORT_TITLE,
    generated_at: new Date(nowMs).toISOString(),
    parameters: {
      from,
      to,
      timeframe: params.from ? 'custom' : (params.timeframe ?? '24h'),
      task_types: params.task_types ?? [],
      goal: opts.goal,
      cost_threshold_usd: opts.costThresholdUsd ?? null,
      quality_threshold: set.constraints.minQuality,
      target_reduction: opts.targetReduction,
    },
    executive_summary: {
      analysis_period: `${from} – ${to}${params.from ? '' : ` (${params.timeframe ?? '24h'})`}`,
      // All requests of the window, as Current State counts them; the routed ones are what the recommendations replay.
      total_requests: m(numberField(d.routing_analytics, 'total_requests') ?? set.window.requests, 'count', 'routing_analytics'),
      routed_requests: m(set.window.requests, 'count', RECOMMENDATIONS_SOURCE),
      avg_cost_usd: m(numberField(d.routing_costs, 'avg_cost_per_request_usd') ?? set.current.avgCostUsd, 'usd', 'routing_costs'),
      avg_quality: m(numberField(d.quality_metrics, 'avg_quality') ?? set.current.avgQuality, 'score', 'quality_metrics'),
      optimization_potential_pct: { value: c ? -c.costChangePct : 0, unit: 'percent', source: RECOMMENDATIONS_SOURCE },
      recommended_actions: { value: recs.length, unit: 'count', source: RECOMMENDATIONS_SOURCE },
    },
    current_state: currentState(d, set, opts.config),
    opportunities: { ...opportunitiesOf(recs), ...costPlanAndScenariosOf(set) },
    routing_rules: { rules: recs, model_selection_matrix: modelSelectionMatrix(set) },
    implementation_plan: implementationPlanOf(set),
    expected_outcomes: expectedOutcomesOf(set),
    monitoring: monitoringOf(set, opts),
    data_gaps: [...new Set(gaps)],
    sources,
  };
}

function m(value: number | null, unit: Metric['unit'], source: string): Metric {
  return { value, unit, source };
}

/** Name/value pairs, largest first; `shares: false` for averages, whose share of a sum means nothing. */
function breakdownOf(
  r: Fields | undefined,
  source: string,
  path: string,
  nameKeys: string[],
  valueKeys: string[],
  unit: Metric['unit'],
  shares = true,
): Breakdown[] {
  const pairs = pairsField(r, path, nameKeys, valueKeys).sort((a, b) => b.value - a.value);
  const total = pairs.reduce((s, p) => s + p.value, 0);
  return pairs.map((p) => ({
    name: p.name === '(none)' ? UNCLASSIFIED : p.name,
    value: m(p.value, unit, source),
    share_pct: m(shares && total > 0 ? (p.value / total) * 100 : null, 'percent', source),
  }));
}

/** "busiest hour 14:00 UTC (96 requests), busiest day Tue (400 requests)" from request patterns. */
function peakUsageOf(rp: Fields | undefined): string {
  const hour = pairsField(rp, 'peak_hours', ['hour'], ['requests'])[0];
  const day = pairsField(rp, 'by_day', ['day'], ['requests']).sort((a, b) => b.value - a.value)[0];
  const parts = [
    hour && `busiest hour ${hour.name} (${hour.value} requests)`,
    day && day.value > 0 && `busiest day ${day.name} (${day.value} requests)`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'n/a (no requests in the window)';
}

function currentState(d: Gathered, set: Recommendations, config: GatewayConfig): ReportDocument['current_state'] {
  const failureRate = numberField(d.routing_analytics, 'failure_rate');
  const ra = d.routing_analytics;
  const rc = d.routing_costs;
  const qm = d.quality_metrics;
  const rp = d.request_patterns;
  const trendRaw = rc ? pairsField(rc, 'trend', ['bucket_start', 'bucket', 'period'], ['cost_usd', 'costUsd']) : [];
  const requestsByBucket = new Map(rc ? pairsField(rc, 'trend', ['bucket_start', 'bucket', 'period'], ['requests']).map((p) => [p.name, p.value]) : []);
  const trendChange = numberField(rc, 'trend_change_pct', 'cost_trend.change_pct', 'change_pct');
  return {
    performance: {
      avg_routing_latency_ms: m(numberField(ra, 'routing_latency_ms.avg', 'routing_latency.avg_ms', 'avg_routing_latency_ms'), 'ms', 'routing_analytics'),
      p95_routing_latency_ms: m(numberField(ra, 'routing_latency_ms.p95', 'routing_latency.p95_ms', 'p95_routing_latency_ms'), 'ms', 'routing_analytics'),
      avg_request_latency_ms: m(
        numberField(ra, 'request_latency_ms.avg', 'latency_ms.avg', 'avg_latency_ms') ?? set.current.avgLatencyMs,
        'ms',
        ra ? 'routing_analytics' : RECOMMENDATIONS_SOURCE,
      ),
      success_rate_pct: m(percentOf(numberField(ra, 'success_rate', 'success_rate_pct')), 'percent', 'routing_analytics'),
      failure_rate_pct: m(percentOf(failureRate), 'percent', 'routing_analytics'),
      model_distribution: breakdownOf(ra, 'routing_analytics', 'model_distribution', ['model', 'name'], ['requests', 'count'], 'count'),
      peak_usage: peakUsageOf(rp),
    },
    cost: {
      total_spend_usd: m(numberField(rc, 'total_cost_usd', 'total_usd') ?? set.current.totalCostUsd, 'usd', rc ? 'routing_costs' : RECOMMENDATIONS_SOURCE),
      by_task_type: breakdownOf(rc, 'routing_costs', 'by_task_type', ['task_type', 'name', 'group'], ['cost_usd', 'costUsd'], 'usd'),
      by_model: breakdownOf(rc, 'routing_costs', 'by_model', ['model', 'name', 'group'], ['cost_usd', 'costUsd'], 'usd'),
      by_tier: breakdownOf(rc, 'routing_costs', 'by_tier', ['tier'], ['cost_usd'], 'usd'),
      budget_utilization_pct: m(percentOf(numberField(rc, 'budget_utilization', 'budget_utilization_pct', 'budget.utilization')), 'percent', 'routing_costs'),
      price_sources: describePriceSources(config.models),
      trend_direction: trendChange === null ? 'unknown' : trendChange > 1 ? 'up' : trendChange < -1 ? 'down' : 'flat',
      trend_change_pct: m(trendChange, 'percent', 'routing_costs'),
      trend: trendRaw.map((p) => ({ bucket_start: p.name, cost_usd: p.value, requests: requestsByBucket.get(p.name) ?? 0 })),
    },
    quality: {
      avg_quality: m(numberField(qm, 'avg_quality', 'average_quality') ?? set.current.avgQuality, 'score', qm ? 'quality_metrics' : RECOMMENDATIONS_SOURCE),
      by_model: breakdownOf(qm, 'quality_metrics', 'by_model', ['model', 'name'], ['avg_quality', 'quality'], 'score', false),
      completion_rate_pct: m(percentOf(numberField(qm, 'completion_rate', 'task_completion_rate', 'completion_rate_pct')), 'percent', 'quality_metrics'),
      quality_cost_correlation: m(numberField(qm, 'quality_cost_correlation', 'correlation'), 'ratio', 'quality_metrics'),
    },
    decisions: decisionSummaryOf(set),
    // The registry returns these analyses' own result types; the envelope parse only checked their common fields.
    bottlenecks: [
      ...(d.bottlenecks ? performanceFindings(d.bottlenecks as unknown as Bottlenecks) : []),
      ...(d.cost_drivers ? costFindings(d.cost_drivers as unknown as CostDrivers) : []),
      ...(d.quality_metrics ? qualityFindings(d.quality_metrics as unknown as QualityMetrics, set.constraints.minQuality) : []),
    ],
  };
}

/** Rates come as 0–1 fractions; the report prints percent. */
function percentOf(rate: number | null): number | null {
  return rate === null ? null : rate <= 1 ? rate * 100 : rate;
}

function monitoringOf(set: Recommendations, opts: ReportOptions): ReportDocument['monitoring'] {
  const src = RECOMMENDATIONS_SOURCE;
  return [
    {
      name: 'Average cost per routed request',
      current: m(set.current.avgCostUsd, 'usd', src),
      target: opts.costThresholdUsd !== undefined ? `< $${opts.costThresholdUsd}` : `${(opts.targetReduction * 100).toFixed(0)}% below today`,
      check: 'Compare in the next report over the same timeframe (aigw report).',
    },
    {
      name: 'Average quality of routed requests',
      current: m(set.current.avgQuality, 'score', src),
      target: `≥ ${set.constraints.minQuality}`,
      check: 'Quality signals (POST /v1/feedback, judge, completion) on the changed segments; roll back a rule whose segment falls below the floor.',
    },
    {
      name: 'Average latency of routed requests',
      current: m(set.current.avgLatencyMs, 'ms', src),
      target: 'no worse than today',
      check: 'p95 latency per model in GET /v1/analytics and the dashboard.',
    },
    {
      name: 'Requests with a quality signal',
      current: m(set.window.withQualitySignal, 'count', src),
      target: '≥ 30 per changed segment',
      check: 'Below that, quality numbers are predictions rather than measurements.',
    },
    // One line per change: its segment's quality now, and every criterion its A/B arm must meet.
    ...set.recommendations.map((r) => ({
      name: `Validate ${r.id} (${r.rule.name})`,
      current: m(r.expectedImpact.segmentQualityBefore, 'score', src),
      target: r.validationCriteria.join('; '),
      check: `Now: the segment's quality. After \`aigw rules apply ${r.id} --percent 20\`, the next report's A/B Splits compare the arm with its holdout.`,
    })),
  ];
}
