import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { percentilesByGroup } from './percentiles.ts';
import { scoredRequestsSql } from './quality.ts';
import { num, ratio, requestWindowSql, SMALL_SAMPLE } from './request-window.ts';
import { meanInterval, roundSig } from './stats.ts';

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

interface CellRow {
  model: string | null;
  task_type: string | null;
  n: unknown;
  rated: unknown;
  sq: unknown;
  sq2: unknown;
  sum_latency: unknown;
  cost: unknown;
  errors: unknown;
  timeouts: unknown;
}

function rowOf(model: string, taskType: string, c: CellRow, p95: number | undefined): ModelPerformanceRow {
  const n = num(c.n);
  const m = meanInterval(num(c.rated), num(c.sq), num(c.sq2));
  const cost = num(c.cost);
  const avgCost = ratio(cost, n);
  const errorRate = ratio(num(c.errors), n);
  return {
    model,
    task_type: taskType,
    requests: n,
    rated: m.n,
    avg_quality: roundSig(m.mean),
    ci95_low: roundSig(m.ci95_low),
    ci95_high: roundSig(m.ci95_high),
    avg_latency_ms: roundSig(ratio(num(c.sum_latency), n)),
    p95_latency_ms: p95 === undefined ? null : roundSig(p95),
    avg_cost_usd: roundSig(avgCost),
    total_cost_usd: roundSig(cost) ?? 0,
    quality_per_dollar: m.mean !== null && avgCost !== null && avgCost > 0 ? roundSig(m.mean / avgCost) : null,
    error_rate: roundSig(errorRate),
    timeout_rate: roundSig(ratio(num(c.timeouts), n)),
    reliability: errorRate === null ? null : roundSig(1 - errorRate),
  };
}

const SUMMED = ['n', 'rated', 'sq', 'sq2', 'sum_latency', 'cost', 'errors', 'timeouts'] as const;

/** A model's row is the sum of its cells (every column is a count or a sum). */
function sumPerModel(cells: readonly CellRow[]): CellRow[] {
  const byModel = new Map<string, CellRow>();
  for (const c of cells) {
    const key = c.model ?? '';
    const acc = byModel.get(key) ?? { model: c.model, task_type: '(all)', n: 0, rated: 0, sq: 0, sq2: 0, sum_latency: 0, cost: 0, errors: 0, timeouts: 0 };
    for (const k of SUMMED) acc[k] = num(acc[k]) + num(c[k]);
    byModel.set(key, acc);
  }
  return [...byModel.values()].sort((a, b) => num(b.n) - num(a.n) || String(a.model).localeCompare(String(b.model)));
}

/** Per model × task type (and per model): quality, latency (avg, p95), cost efficiency, reliability. */
export async function modelPerformance(db: Kysely<Database>, q: AnalysisQuery): Promise<ModelPerformance> {
  const where = requestWindowSql(q);
  const [perCell, cellP95, modelP95] = await Promise.all([
    sql<CellRow>`
      with sr as (${scoredRequestsSql(q)})
      select sr.model_used as model, sr.task_type, count(*) as n,
        count(sr.quality) as rated, sum(sr.quality) as sq, sum(sr.quality * sr.quality) as sq2,
        sum(sr.latency_ms) as sum_latency, sum(sr.cost_usd) as cost,
        sum(case when sr.status >= 500 then 1 else 0 end) as errors,
        sum(case when sr.status in (504, 408) or lower(coalesce(sr.error_type, '')) like '%timeout%' then 1 else 0 end) as timeouts
      from sr where sr.model_used is not null
      group by sr.model_used, sr.task_type
      order by count(*) desc, sr.model_used, sr.task_type`.execute(db),
    percentilesByGroup(db, sql`select r.model_used || '${sql.raw(SEP)}' || coalesce(r.task_type, '(none)') as g, r.latency_ms as x from requests r where ${where} and r.model_used is not null`, [95]),
    percentilesByGroup(db, sql`select r.model_used as g, r.latency_ms as x from requests r where ${where} and r.model_used is not null`, [95]),
  ]);
  const models = perCell.rows.map((c) => {
    const model = c.model ?? '(none)';
    const task = c.task_type ?? '(none)';
    return rowOf(model, task, c, cellP95.get(`${model}${SEP}${task}`)?.p95);
  });
  const by_model = sumPerModel(perCell.rows).map((c) => rowOf(c.model ?? '(none)', '(all)', c, modelP95.get(c.model ?? '')?.p95));
  const total = models.reduce((s, m) => s + m.requests, 0);
  const gaps: string[] = [];
  if (total === 0) gaps.push('no requests that reached a model in this window: model performance unavailable');
  else if (models.every((m) => m.rated === 0)) gaps.push('no quality signals in this window: quality and quality per dollar unavailable');
  const thin = models.filter((m) => m.rated > 0 && m.rated < SMALL_SAMPLE).length;
  if (thin > 0) gaps.push(`${thin} of ${models.length} model × task type cells have fewer than ${SMALL_SAMPLE} rated requests: their quality intervals are wide`);
  const free = models.filter((m) => m.avg_quality !== null && m.quality_per_dollar === null).length;
  if (free > 0) gaps.push(`${free} cells cost nothing (local models or cache hits): quality per dollar undefined there`);
  return { sample_size: total, data_gaps: gaps, models, by_model };
}
