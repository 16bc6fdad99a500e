import type { Kysely } from 'kysely';
import type { GatewayConfig } from '../../config/schema.ts';
import { describePriceSources } from '../../config/known-models/fill-known-models.ts';
import type { Database } from '../../store/schema.ts';
import { resolveAnalysisQuery, type AnalysisParams, type AnalysisQuery } from '../analysis-query.ts';
import { buildRecommendations, type Recommendations } from '../recommend/build-recommendations.ts';
import { DESCRIPTIVE_ANALYSES, descriptiveAnalysis, type AnalysisResultOf, type DescriptiveAnalysisId } from './analyses.ts';
import { modelTiers } from '../routing-costs.ts';
import type { Store } from '../../store/types.ts';
import type { RequestPatterns } from '../request-patterns.ts';
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
import { NO_TASK_TYPE, REPORT_TITLE, type Breakdown, type Metric, type ModelMixRow, type ReportDocument, type Source } from './report-document.ts';
import { monitoringStatusOf } from './report-monitoring.ts';
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

/** How the analyses name a missing model or task type (a request refused before routing has neither). */
const NO_MODEL = '(none)';

/** The descriptive analyses the report's Current State section draws on. */
export const REPORTED_ANALYSES = ['routing_analytics', 'routing_costs', 'quality_metrics', 'request_patterns', 'bottlenecks', 'cost_drivers'] as const;
type ReportedId = (typeof REPORTED_ANALYSES)[number];

type Gathered = { readonly [Id in ReportedId]: AnalysisResultOf<Id> };

async function gatherDescriptive(db: Kysely<Database>, q: AnalysisQuery, config: GatewayConfig): Promise<Gathered> {
  const host = { tierOf: modelTiers(config) };
  const run = <Id extends ReportedId>(id: Id, opts: Record<string, unknown> = {}) => descriptiveAnalysis(id, host)(db, q, opts);
  const [routing_analytics, routing_costs, quality_metrics, request_patterns, bottlenecks, cost_drivers] = await Promise.all([
    run('routing_analytics'),
    run('routing_costs', { group_by: ['model', 'task_type', 'tier'] }),
    run('quality_metrics'),
    run('request_patterns'),
    run('bottlenecks'),
    run('cost_drivers'),
  ]);
  return { routing_analytics, routing_costs, quality_metrics, request_patterns, bottlenecks, cost_drivers };
}

/** The report document: descriptive analyses and the replayed recommendations, each number with its source. */
export async function buildReport(db: Kysely<Database>, params: AnalysisParams, opts: ReportOptions, nowMs: number): Promise<ReportDocument> {
  const q = resolveAnalysisQuery(params, nowMs);
  const gaps: string[] = [];
  const [d, monitoringStatus, set] = await Promise.all([
    gatherDescriptive(db, q, opts.config),
    monitoringStatusOf(db, opts.config),
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
  for (const id of REPORTED_ANALYSES) gaps.push(...d[id].data_gaps);
  if (d.routing_costs.trend_change_pct === null && set.current.totalCostUsd > 0) {
    gaps.push(
      'the first half of the window cost nothing (traffic began in its second half): no cost trend yet; the next report over the same timeframe gives one',
    );
  }
  gaps.push(...set.missing, ...set.conflicts);
  const recs = set.recommendations.map(toReportRecommendation);
  const from = new Date(q.fromMs).toISOString();
  const to = new Date(q.toMs).toISOString();
  const sources: Source[] = [
    ...REPORTED_ANALYSES.map((id) => ({
      id,
      analysis: DESCRIPTIVE_ANALYSES[id].fn,
      query: `${QUERIES[id]} (GET /v1/analytics/${DESCRIPTIVE_ANALYSES[id].name})`,
      sample_size: d[id].sample_size,
    })),
    { id: RECOMMENDATIONS_SOURCE, analysis: 'buildRecommendations', query: QUERIES.recommendations, sample_size: set.window.requests },
    {
      id: 'router_status',
      analysis: 'routerStatus',
      query: 'learning outcomes per model and task type, the newest learned state, the last 10 router models (aigw router status, MCP get_router_status)',
      sample_size: monitoringStatus.router.outcomes.reduce((n, o) => n + o.outcomes, 0),
    },
    {
      id: 'alerts',
      analysis: 'activeAlerts',
      query: 'alert_states firing or with too little data; deliveries of the last 100 alert events (GET /v1/alerts)',
      sample_size: monitoringStatus.alerts.firing.length,
    },
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
      total_requests: m(d.routing_analytics.total_requests, 'count', 'routing_analytics'),
      routed_requests: m(set.window.requests, 'count', RECOMMENDATIONS_SOURCE),
      avg_cost_usd: orFallback(d.routing_costs.avg_cost_per_request_usd, 'usd', 'routing_costs', set.current.avgCostUsd),
      avg_quality: orFallback(d.quality_metrics.avg_quality, 'score', 'quality_metrics', set.current.avgQuality),
      optimization_potential_pct: { value: c ? -c.costChangePct : 0, unit: 'percent', source: RECOMMENDATIONS_SOURCE },
      recommended_actions: { value: recs.length, unit: 'count', source: RECOMMENDATIONS_SOURCE },
    },
    current_state: currentState(d, set, opts.config),
    opportunities: { ...opportunitiesOf(recs), ...costPlanAndScenariosOf(set) },
    routing_rules: { rules: recs, model_selection_matrix: modelSelectionMatrix(set) },
    model_mix: modelMixOf(set),
    implementation_plan: implementationPlanOf(set),
    expected_outcomes: expectedOutcomesOf(set),
    monitoring: monitoringOf(set, opts),
    monitoring_status: monitoringStatus,
    data_gaps: [...new Set(gaps)],
    sources,
  };
}

function m(value: number | null, unit: Metric['unit'], source: string): Metric {
  return { value, unit, source };
}

/** The analysis' number, or when it has none the replay's, sourced to what it came from. */
function orFallback(value: number | null, unit: Metric['unit'], source: string, replayed: number | null): Metric {
  return value !== null ? m(value, unit, source) : m(replayed, unit, RECOMMENDATIONS_SOURCE);
}

interface Pair {
  name: string;
  value: number | null;
}

/**
 * Name/value pairs, largest first; `shares: false` for averages, whose share of a sum means nothing;
 * `noneLabel` names the analyses' `(none)` row (no model, or no task type).
 */
function breakdownOf(
  rows: readonly Pair[] | undefined,
  source: string,
  unit: Metric['unit'],
  { shares = true, noneLabel = 'no model (refused before routing)' }: { shares?: boolean; noneLabel?: string } = {},
): Breakdown[] {
  const pairs = (rows ?? []).flatMap((p) => (p.value === null ? [] : [{ name: p.name, value: p.value }])).sort((a, b) => b.value - a.value);
  const total = pairs.reduce((s, p) => s + p.value, 0);
  return pairs.map((p) => ({
    name: p.name === NO_MODEL ? noneLabel : p.name,
    value: m(p.value, unit, source),
    share_pct: m(shares && total > 0 ? (p.value / total) * 100 : null, 'percent', source),
  }));
}

/** "busiest hour 14:00 UTC (96 requests), busiest day Tue (400 requests)" from request patterns. */
function peakUsageOf(rp: RequestPatterns): string {
  const hour = rp.peak_hours[0];
  const day = [...rp.by_day].sort((a, b) => b.requests - a.requests)[0];
  const parts = [
    hour && `busiest hour ${hour.hour} (${hour.requests} requests)`,
    day && day.requests > 0 && `busiest day ${day.day} (${day.requests} requests)`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'n/a (no requests in the window)';
}

function currentState(d: Gathered, set: Recommendations, config: GatewayConfig): ReportDocument['current_state'] {
  const ra = d.routing_analytics;
  const rc = d.routing_costs;
  const qm = d.quality_metrics;
  const trendChange = rc.trend_change_pct;
  return {
    performance: {
      avg_routing_latency_ms: m(ra.routing_latency_ms.avg, 'ms', 'routing_analytics'),
      p95_routing_latency_ms: m(ra.routing_latency_ms.p95, 'ms', 'routing_analytics'),
      avg_request_latency_ms: orFallback(ra.request_latency_ms.avg, 'ms', 'routing_analytics', set.current.avgLatencyMs),
      success_rate_pct: m(percentOf(ra.success_rate), 'percent', 'routing_analytics'),
      failure_rate_pct: m(percentOf(ra.failure_rate), 'percent', 'routing_analytics'),
      model_distribution: breakdownOf(
        ra.model_distribution.filter((r) => r.model !== NO_MODEL).map((r) => ({ name: r.model, value: r.requests })),
        'routing_analytics',
        'count',
      ),
      rejected_before_routing: m(ra.model_distribution.find((r) => r.model === NO_MODEL)?.requests ?? 0, 'count', 'routing_analytics'),
      peak_usage: peakUsageOf(d.request_patterns),
    },
    cost: {
      total_spend_usd: m(rc.total_cost_usd, 'usd', 'routing_costs'),
      by_task_type: breakdownOf(
        rc.by_task_type?.map((r) => ({ name: r.task_type, value: r.cost_usd })),
        'routing_costs',
        'usd',
        { noneLabel: NO_TASK_TYPE },
      ),
      by_model: breakdownOf(
        rc.by_model?.filter((r) => r.model !== NO_MODEL || r.cost_usd > 0).map((r) => ({ name: r.model, value: r.cost_usd })),
        'routing_costs',
        'usd',
      ),
      by_tier: breakdownOf(
        rc.by_tier?.map((r) => ({ name: r.tier, value: r.cost_usd })),
        'routing_costs',
        'usd',
      ),
      budget_utilization_pct: m(percentOf(rc.budget_utilization), 'percent', 'routing_costs'),
      price_sources: describePriceSources(config.models),
      trend_direction: trendChange === null ? 'unknown' : trendChange > 1 ? 'up' : trendChange < -1 ? 'down' : 'flat',
      trend_change_pct: m(trendChange, 'percent', 'routing_costs'),
      trend: rc.trend.map((p) => ({ bucket_start: p.bucket_start, cost_usd: p.cost_usd, requests: p.requests })),
    },
    quality: {
      avg_quality: orFallback(qm.avg_quality, 'score', 'quality_metrics', set.current.avgQuality),
      by_model: breakdownOf(
        // Requests refused before routing have no model and are no quality sample (Performance counts them apart).
        qm.by_model.filter((r) => r.model !== NO_MODEL).map((r) => ({ name: r.model, value: r.avg_quality })),
        'quality_metrics',
        'score',
        { shares: false },
      ),
      completion_rate_pct: m(percentOf(qm.completion_rate), 'percent', 'quality_metrics'),
      quality_cost_correlation: m(qm.quality_cost_correlation, 'ratio', 'quality_metrics'),
    },
    decisions: decisionSummaryOf(set),
    bottlenecks: [...performanceFindings(d.bottlenecks), ...costFindings(d.cost_drivers), ...qualityFindings(qm, set.constraints.minQuality)],
  };
}

/** Model shares (0–1) as percent rows, largest first. */
function sharesOf(shares: Readonly<Record<string, number>>): ModelMixRow['current'] {
  return Object.entries(shares)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([model, share]) => ({ model, share_pct: m(share * 100, 'percent', RECOMMENDATIONS_SOURCE) }));
}

function modelMixOf(set: Recommendations): ModelMixRow[] {
  return set.modelMix.map((x) => ({
    task_type: x.taskType,
    requests: m(x.requests, 'count', RECOMMENDATIONS_SOURCE),
    current: sharesOf(x.current),
    recommended: sharesOf(x.recommended),
  }));
}

/** Rates come as 0–1 fractions; the report prints percent. */
function percentOf(rate: number | null): number | null {
  return rate === null ? null : rate * 100;
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
