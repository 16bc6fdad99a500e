import { costUsd, sumUsd } from '../../costs/cost.ts';
import type { CatalogModel } from './gateway-catalog.ts';
import { fromDemoUsage, type DemoRequestResult } from './send-demo-request.ts';

export interface ModelUse {
  model: string;
  requests: number;
  /** Of all requests that reached a model. */
  share: number;
  costUsd: number;
  avgLatencyMs: number;
}

export interface TaskTypeUse {
  taskType: string;
  requests: number;
  costUsd: number;
  /** The model that served most of this task type's requests. */
  topModel: string | null;
  topModelShare: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface DemoSummary {
  requests: number;
  ok: number;
  failed: number;
  streamed: number;
  /** HTTP status → count (0 = no response). */
  byStatus: Array<{ status: number; count: number }>;
  /** Error code → count, failed requests only. */
  byError: Array<{ errorType: string; count: number }>;
  byRequestedModel: Array<{ model: string; count: number }>;
  modelsUsed: ModelUse[];
  byTaskType: TaskTypeUse[];
  totalCostUsd: number;
  avgCostUsd: number;
  /** Requests whose cost came from streamed usage × catalog price instead of the cost header. */
  costFromUsage: number;
  /** Cost of the same token counts on the most expensive model; undefined without prices or usage. */
  baseline: { model: string; costUsd: number; savedShare: number } | undefined;
  latencyMs: Percentiles;
  overheadMs: Percentiles;
  simulated: boolean;
  durationMs: number;
  requestsPerSecond: number;
}

/** Nearest-rank percentile of ascending values (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

function countBy<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const byCountDesc = <T extends { count: number }>(a: T, b: T) => b.count - a.count;

/** The numbers of the demo summary, from the client-side results alone. */
export function summarizeDemoResults(
  results: readonly DemoRequestResult[],
  opts: {
    durationMs: number;
    baselineModel?: CatalogModel | undefined;
    /** The gateway lists only simulated models (labels the run even when no answer carried x-aigw-simulated). */
    fleetSimulated?: boolean;
  },
): DemoSummary {
  const ok = results.filter((r) => r.status === 200);
  const served = results.filter((r) => r.modelUsed !== null);
  const totalCostUsd = sumUsd(results.map((r) => r.costUsd));

  const modelsUsed = [...countBy(served, (r) => r.modelUsed ?? '')].map(([model, rs]) => ({
    model: String(model),
    requests: rs.length,
    share: rs.length / served.length,
    costUsd: sumUsd(rs.map((r) => r.costUsd)),
    avgLatencyMs: rs.reduce((s, r) => s + r.latencyMs, 0) / rs.length,
  }));
  modelsUsed.sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model));

  const byTaskType = [...countBy(results, (r) => r.taskType)].map(([taskType, rs]) => {
    const top = [
      ...countBy(
        rs.filter((r) => r.modelUsed !== null),
        (r) => r.modelUsed ?? '',
      ),
    ].sort((a, b) => b[1].length - a[1].length)[0];
    return {
      taskType: String(taskType),
      requests: rs.length,
      costUsd: sumUsd(rs.map((r) => r.costUsd)),
      topModel: top ? String(top[0]) : null,
      topModelShare: top ? top[1].length / rs.length : 0,
    };
  });
  byTaskType.sort((a, b) => b.requests - a.requests || a.taskType.localeCompare(b.taskType));

  return {
    requests: results.length,
    ok: ok.length,
    failed: results.length - ok.length,
    streamed: results.filter((r) => r.stream).length,
    byStatus: [...countBy(results, (r) => r.status)].map(([status, rs]) => ({ status: Number(status), count: rs.length })).sort((a, b) => a.status - b.status),
    byError: [
      ...countBy(
        results.filter((r) => r.errorType !== null),
        (r) => r.errorType ?? '',
      ),
    ]
      .map(([errorType, rs]) => ({ errorType: String(errorType), count: rs.length }))
      .sort(byCountDesc),
    byRequestedModel: [...countBy(results, (r) => r.modelRequested)].map(([model, rs]) => ({ model: String(model), count: rs.length })).sort(byCountDesc),
    modelsUsed,
    byTaskType,
    totalCostUsd,
    avgCostUsd: results.length > 0 ? totalCostUsd / results.length : 0,
    costFromUsage: results.filter((r) => r.costSource === 'usage').length,
    baseline: baselineCost(results, opts.baselineModel),
    latencyMs: percentiles(ok.map((r) => r.latencyMs)),
    overheadMs: percentiles(results.flatMap((r) => (r.overheadMs === null ? [] : [r.overheadMs]))),
    simulated: opts.fleetSimulated === true || results.some((r) => r.simulated),
    durationMs: opts.durationMs,
    requestsPerSecond: opts.durationMs > 0 ? results.length / (opts.durationMs / 1000) : 0,
  };
}

/** What the same token counts would have cost on `model` (an estimate: another model would answer at another length). */
function baselineCost(results: readonly DemoRequestResult[], model: CatalogModel | undefined): DemoSummary['baseline'] {
  if (!model) return undefined;
  const withUsage = results.filter((r) => r.usage !== null);
  if (withUsage.length === 0) return undefined;
  const baselineUsd = sumUsd(withUsage.map((r) => costUsd(fromDemoUsage(r.usage!), model.pricing)));
  // Compared over the same requests: those that reported usage (nearly all; a broken stream may not).
  const actualUsd = sumUsd(withUsage.map((r) => r.costUsd));
  return { model: model.id, costUsd: baselineUsd, savedShare: baselineUsd > 0 ? 1 - actualUsd / baselineUsd : 0 };
}
