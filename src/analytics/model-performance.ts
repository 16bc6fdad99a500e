import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { percentilesByGroup } from './percentiles.ts';
import { qualityCells } from './quality-metrics.ts';
import { ratio, requestWindowSql, SMALL_SAMPLE } from './request-window.ts';
import { requestCells, type RequestCell } from './rollup/request-cells.ts';
import { compareCodeUnits, meanInterval, roundSig } from './stats.ts';

export interface ModelPerformanceRow {
  model: string;
  /** `(all)` in `by_model`. */
  task_type: string;
  requests: number;
  rated: number;
  avg_quality: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  avg_cost_usd: number | null;
  total_cost_usd: number;
  /** Average quality per average dollar per request (quality points per USD); null without quality or cost. */
  quality_per_dollar: number | null;
  /** Share of requests that failed on the server side (status ≥ 500), 0–1. */
  error_rate: number | null;
  /** Share that timed out (status 504/408 or an error type naming a timeout), 0–1. */
  timeout_rate: number | null;
  /** 1 − error_rate. */
  reliability: number | null;
}

export interface ModelPerformance {
  sample_size: number;
  data_gaps: string[];
  /** One row per model × task type, most requests first. */
  models: ModelPerformanceRow[];
  /** One row per model over all its task types. */
  by_model: ModelPerformanceRow[];
}

const SEP = '|';
const keyOf = (model: string, taskType: string) => `${model}${SEP}${taskType}`;

/** Sums of one model × task type cell (or one model's, summed over its cells). */
interface CellSums {
  model: string;
  task_type: string;
  n: number;
  rated: number;
  sq: number;
  sq2: number;
  sum_latency: number;
  cost: number;
  errors: number;
  timeouts: number;
}

const isTimeout = (c: RequestCell) => c.status === 504 || c.status === 408 || (c.errorType ?? '').toLowerCase().includes('timeout');

/**
 * Per model × task type: counts, latency, cost, errors and timeouts from the request rollup (grouped by
 * status and error type, which decide the last two), quality from the quality cells (the rollup plus the
 * few requests with feedback). Requests that reached no model are left out.
 */
async function cellSums(db: Kysely<Database>, q: AnalysisQuery): Promise<CellSums[]> {
  const [requests, quality] = await Promise.all([requestCells(db, q, q, ['model_used', 'task_type', 'status', 'error_type']), qualityCells(db, q)]);
  const cells = new Map<string, CellSums>();
  for (const c of requests) {
    if (c.model === null) continue;
    const task = c.taskType ?? '(none)';
    const key = keyOf(c.model, task);
    const acc = cells.get(key) ?? { model: c.model, task_type: task, n: 0, rated: 0, sq: 0, sq2: 0, sum_latency: 0, cost: 0, errors: 0, timeouts: 0 };
    acc.n += c.requests;
    acc.sum_latency += c.latencyMs;
    acc.cost += c.costUsd;
    if (c.status >= 500) acc.errors += c.requests;
    if (isTimeout(c)) acc.timeouts += c.requests;
    cells.set(key, acc);
  }
  for (const c of quality) {
    const acc = cells.get(keyOf(c.model, c.taskType));
    if (!acc) continue;
    acc.rated += c.rated;
    acc.sq += c.sq;
    acc.sq2 += c.sq2;
  }
  return [...cells.values()].sort((a, b) => b.n - a.n || compareCodeUnits(a.model, b.model) || compareCodeUnits(a.task_type, b.task_type));
}

function rowOf(c: CellSums, p95: number | undefined): ModelPerformanceRow {
  const n = c.n;
  const m = meanInterval(c.rated, c.sq, c.sq2);
  const cost = c.cost;
  const avgCost = ratio(cost, n);
  const errorRate = ratio(c.errors, n);
  return {
    model: c.model,
    task_type: c.task_type,
    requests: n,
    rated: m.n,
    avg_quality: roundSig(m.mean),
    ci95_low: roundSig(m.ci95_low),
    ci95_high: roundSig(m.ci95_high),
    avg_latency_ms: roundSig(ratio(c.sum_latency, n)),
    p95_latency_ms: p95 === undefined ? null : roundSig(p95),
    avg_cost_usd: roundSig(avgCost),
    total_cost_usd: roundSig(cost) ?? 0,
    quality_per_dollar: m.mean !== null && avgCost !== null && avgCost > 0 ? roundSig(m.mean / avgCost) : null,
    error_rate: roundSig(errorRate),
    timeout_rate: roundSig(ratio(c.timeouts, n)),
    reliability: errorRate === null ? null : roundSig(1 - errorRate),
  };
}

const SUMMED = ['n', 'rated', 'sq', 'sq2', 'sum_latency', 'cost', 'errors', 'timeouts'] as const;

/** A model's row is the sum of its cells (every column is a count or a sum). */
function sumPerModel(cells: readonly CellSums[]): CellSums[] {
  const byModel = new Map<string, CellSums>();
  for (const c of cells) {
    const acc = byModel.get(c.model) ?? { model: c.model, task_type: '(all)', n: 0, rated: 0, sq: 0, sq2: 0, sum_latency: 0, cost: 0, errors: 0, timeouts: 0 };
    for (const k of SUMMED) acc[k] += c[k];
    byModel.set(c.model, acc);
  }
  return [...byModel.values()].sort((a, b) => b.n - a.n || compareCodeUnits(a.model, b.model));
}

/** Per model × task type (and per model): quality, latency (avg, p95), cost efficiency, reliability. */
export async function modelPerformance(db: Kysely<Database>, q: AnalysisQuery): Promise<ModelPerformance> {
  const where = requestWindowSql(q);
  const [cells, cellP95, modelP95] = await Promise.all([
    cellSums(db, q),
    percentilesByGroup(
      db,
      sql`select r.model_used || '${sql.raw(SEP)}' || coalesce(r.task_type, '(none)') as g, r.latency_ms as x from requests r where ${where} and r.model_used is not null`,
      [95],
    ),
    percentilesByGroup(db, sql`select r.model_used as g, r.latency_ms as x from requests r where ${where} and r.model_used is not null`, [95]),
  ]);
  const models = cells.map((c) => rowOf(c, cellP95.get(keyOf(c.model, c.task_type))?.p95));
  const by_model = sumPerModel(cells).map((c) => rowOf(c, modelP95.get(c.model)?.p95));
  const total = models.reduce((s, m) => s + m.requests, 0);
  const gaps: string[] = [];
  if (total === 0) gaps.push('no requests that reached a model in this window: model performance unavailable');
  else if (models.every((m) => m.rated === 0)) gaps.push('no quality signals in this window: quality and quality per dollar unavailable');
  const thin = models.filter((m) => m.rated > 0 && m.rated < SMALL_SAMPLE).length;
  if (thin > 0)
    gaps.push(`${thin} of ${models.length} model × task type cells have fewer than ${SMALL_SAMPLE} rated requests: their quality intervals are wide`);
  const free = models.filter((m) => m.avg_quality !== null && m.quality_per_dollar === null).length;
  if (free > 0) gaps.push(`${free} cells cost nothing (local models or cache hits): quality per dollar undefined there`);
  return { sample_size: total, data_gaps: gaps, models, by_model };
}
