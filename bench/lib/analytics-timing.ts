/**
 * Times the optimization report and each analysis it draws on, over a store: the same calls
 * `aigw report` makes (buildReport, then rendering), then each analysis alone so the slow ones show.
 */
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { resolveAnalysisQuery, type Timeframe } from '../../src/analytics/analysis-query.ts';
import { buildRecommendations } from '../../src/analytics/recommend/build-recommendations.ts';
import { descriptiveAnalysis, type DescriptiveAnalysisId } from '../../src/analytics/report/analyses.ts';
import { buildReport, REPORTED_ANALYSES, reportOptionsOf } from '../../src/analytics/report/build-report.ts';
import type { ReportParams } from '../../src/analytics/report/report-params.ts';
import { renderReport } from '../../src/analytics/report/render-report.ts';
import { parseReportOptions } from '../../src/cli/report-commands.ts';
import type { GatewayConfig } from '../../src/config/schema.ts';
import type { Database } from '../../src/store/schema.ts';
import { analysisParamsOf } from '../../src/mcp/tool-context.ts';

/** Every descriptive analysis (the report uses all but model_performance; MCP tools and GET /v1/analytics use all). */
const TIMED_ANALYSES: readonly DescriptiveAnalysisId[] = [
  'routing_analytics',
  'routing_costs',
  'quality_metrics',
  'request_patterns',
  'model_performance',
  'bottlenecks',
  'cost_drivers',
  'quality_issues',
];
export const REPORT_ANALYSES: ReadonlySet<string> = new Set([...REPORTED_ANALYSES, 'recommendations']);

export interface TimedRuns {
  /** Wall time of each run, in order. */
  runsMs: number[];
  p50Ms: number;
  maxMs: number;
  /** CPU time (user + system) of this process per run: on a shared machine it moves less than wall time. */
  cpuP50Ms?: number;
}

export interface TimeframeTiming {
  timeframe: Timeframe;
  /** Requests in the window (from the report's executive summary). */
  requests: number;
  report: TimedRuns;
  /** Analysis id → its runs alone; `recommendations` is buildRecommendations. */
  analyses: Record<string, TimedRuns>;
}

const roundedMs = (ms: number) => Math.round(ms * 10) / 10;

/** The lower median (nearest rank 50%) of the values. */
function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1] ?? Number.NaN;
}

export function summarizeRuns(runsMs: readonly number[], cpuMs: readonly number[] = []): TimedRuns {
  const summary: TimedRuns = { runsMs: runsMs.map(roundedMs), p50Ms: roundedMs(medianOf(runsMs)), maxMs: roundedMs(Math.max(...runsMs)) };
  return cpuMs.length > 0 ? { ...summary, cpuP50Ms: roundedMs(medianOf(cpuMs)) } : summary;
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<TimedRuns> {
  const runsMs: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpuBefore = process.cpuUsage();
    const startedMs = performance.now();
    await fn();
    runsMs.push(performance.now() - startedMs);
    const cpu = process.cpuUsage(cpuBefore);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return summarizeRuns(runsMs, cpuMs);
}

/** What `aigw report --timeframe <tf>` parses, with the command's defaults. */
function reportParamsFor(timeframe: Timeframe): ReportParams {
  return parseReportOptions({ timeframe, goal: 'balanced', targetReduction: '20%', format: 'md' });
}

export interface TimingRuns {
  /** Runs of the full report. */
  report: number;
  /** Runs of each analysis alone. */
  analysis: number;
}

export async function timeTimeframe(
  db: Kysely<Database>,
  config: GatewayConfig,
  timeframe: Timeframe,
  nowMs: number,
  runs: TimingRuns,
): Promise<TimeframeTiming> {
  const params = reportParamsFor(timeframe);
  const analysisParams = analysisParamsOf(params);
  const options = reportOptionsOf(params, config);
  let requests = 0;
  const report = await timeRuns(runs.report, async () => {
    const doc = await buildReport(db, analysisParams, options, nowMs);
    renderReport(doc, params.format);
    requests = Number(doc.executive_summary.total_requests.value ?? 0);
  });
  const q = resolveAnalysisQuery(analysisParams, nowMs);
  const timed: Record<string, TimedRuns> = {};
  for (const id of TIMED_ANALYSES) {
    const analysis = descriptiveAnalysis(id);
    const opts = id === 'routing_costs' ? { group_by: ['model', 'task_type'] } : {};
    timed[id] = await timeRuns(runs.analysis, () => analysis(db, q, opts));
  }
  const recommendParams = { ...analysisParams, optimization_goal: options.goal, target_reduction_pct: options.targetReduction * 100 };
  timed['recommendations'] = await timeRuns(runs.analysis, () => buildRecommendations(db, config, recommendParams, { nowMs }));
  return { timeframe, requests, report, analyses: timed };
}
