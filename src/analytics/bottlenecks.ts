import { sql, type Kysely, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { SLOW_DECISION_INDEX_US } from '../store/migrations/0018-value-histograms.ts';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { decisionWindowSql, requestLatencyPercentiles } from './indexed-percentiles.ts';
import { decisionsInWindowSql, isoOf, num, ratio, requestWindowSql } from './request-window.ts';
import { requestCells, sumCells } from './rollup/request-cells.ts';
import { roundSig } from './stats.ts';

export const BottlenecksOptions = z.object({
  slow_decision_ms: z.coerce.number().positive().default(1).describe('A routing decision slower than this is slow (ms)'),
  spike_factor: z.coerce.number().min(1).default(3).describe('An hour whose average latency is this many times the model median is a spike'),
  spike_min_requests: z.coerce.number().int().positive().default(2).describe('Fewest requests in a model-hour to call it a spike'),
  error_rate_threshold: z.coerce.number().min(0).max(1).default(0.5).describe('A minute with at least this share of server errors is a burst'),
  burst_min_requests: z.coerce.number().int().positive().default(5).describe('Fewest requests in a minute to call it a burst'),
  limit: z.coerce.number().int().positive().max(1000).default(10).describe('Most items listed per finding'),
});
export type BottlenecksOptions = z.input<typeof BottlenecksOptions>;

export interface Bottlenecks {
  sample_size: number;
  data_gaps: string[];
  options: z.output<typeof BottlenecksOptions>;
  slow_decisions: {
    threshold_ms: number;
    routed_requests: number;
    count: number;
    share: number | null;
    slowest: { request_id: string; created_at: string; task_type: string; decision_ms: number }[];
  };
  /** Model-hours whose average latency is far above the model's median over the window. */
  latency_spikes: { model: string; hour_start: string; requests: number; avg_latency_ms: number; model_median_latency_ms: number; ratio: number }[];
  /** Minutes in which the server-error (status ≥ 500) rate reached the threshold. */
  error_bursts: { minute_start: string; requests: number; errors: number; error_rate: number; error_types: { error_type: string; requests: number }[] }[];
}

const MINUTE_MS = 60_000;

/**
 * Each model's median request latency over the window, given its request count: on a large window
 * read from the latency histograms one model at a time (requestLatencyPercentiles, within 1%), else
 * ranked in SQL.
 */
async function medianLatencyPerModel(db: Kysely<Database>, q: AnalysisQuery, requestsByModel: Map<string, number>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(
    [...requestsByModel].map(async ([model, n]) => {
      const p50 = (await requestLatencyPercentiles(db, { ...q, models: [model] }, n, [50])).p50;
      if (p50 !== undefined) out.set(model, p50);
    }),
  );
  return out;
}

/**
 * `and d.decision_us >= 1000` (literally) when `slowUs` is at least the floor of decisions_slow_idx
 * (migration 0018, the decisions of 1 ms or more): SQLite uses a partial index only when the query
 * repeats its condition. Below the floor the window's decisions are read whole.
 */
function slowIndexSql(slowUs: number): RawBuilder<unknown> {
  return slowUs >= SLOW_DECISION_INDEX_US ? sql`and d.decision_us >= ${sql.lit(SLOW_DECISION_INDEX_US)}` : sql``;
}

/**
 * Routing decisions slower than `slowUs` in the window: without key or model filters from the decisions
 * alone, with them joined to their requests.
 */
async function slowDecisionCount(db: Kysely<Database>, q: AnalysisQuery, slowUs: number): Promise<number> {
  const rows =
    q.keyIds.length > 0 || q.models.length > 0
      ? await sql<{ n: unknown }>`select count(*) as n from ${decisionsInWindowSql(q)} and +d.decision_us > ${slowUs} ${slowIndexSql(slowUs)}`.execute(db)
      : await sql<{
          n: unknown;
        }>`select count(*) as n from decisions d where d.decision_us > ${slowUs} ${slowIndexSql(slowUs)} and ${decisionWindowSql(q)}`.execute(db);
  return num(rows.rows[0]?.n);
}

interface ErrorMinute {
  b: number;
  requests: number;
  errors: number;
  types: { error_type: string; requests: number }[];
}

/** Past this many candidate minutes one scan counting every minute's requests beats a lookup per minute. */
const MAX_MINUTE_LOOKUPS = 500;

/**
 * The minutes that could hold an error burst, with their requests, server errors and error types. The
 * server errors are grouped first (a small share of the rows); only a minute with at least
 * threshold × burst_min_requests errors can be a burst, and only those minutes' requests are counted,
 * each by a range of the created_at index.
 */
export async function errorMinutes(
  db: Kysely<Database>,
  q: AnalysisQuery,
  o: z.output<typeof BottlenecksOptions>,
  maxLookups = MAX_MINUTE_LOOKUPS,
): Promise<ErrorMinute[]> {
  const minute = sql`(r.created_at / ${sql.lit(MINUTE_MS)}) * ${sql.lit(MINUTE_MS)}`;
  const byType = await sql<{ b: unknown; error_type: string | null; n: unknown }>`
    select ${minute} as b, r.error_type, count(*) as n from requests r where ${requestWindowSql(q)} and r.status >= 500
    group by ${minute}, r.error_type`.execute(db);
  const minutes = new Map<number, ErrorMinute>();
  for (const t of byType.rows) {
    const b = num(t.b);
    const m = minutes.get(b) ?? { b, requests: 0, errors: 0, types: [] };
    m.errors += num(t.n);
    m.types.push({ error_type: t.error_type ?? '(unknown)', requests: num(t.n) });
    minutes.set(b, m);
  }
  const minErrors = Math.max(1, o.error_rate_threshold * o.burst_min_requests);
  const candidates = [...minutes.values()].filter((m) => m.errors >= minErrors);
  if (candidates.length === 0) return [];
  const counts =
    candidates.length <= maxLookups
      ? await sql<{ b: unknown; n: unknown }>`${sql.join(
          candidates.map(
            (m) =>
              sql`select ${sql.lit(m.b)} as b, count(*) as n from requests r where ${requestWindowSql(q, 'r', { fromMs: Math.max(m.b, q.fromMs), toMs: Math.min(m.b + MINUTE_MS, q.toMs) })}`,
          ),
          sql` union all `,
        )}`.execute(db)
      : await sql<{ b: unknown; n: unknown }>`select ${minute} as b, count(*) as n from requests r where ${requestWindowSql(q)} group by ${minute}`.execute(db);
  for (const c of counts.rows) {
    const m = minutes.get(num(c.b));
    if (m) m.requests = num(c.n);
  }
  return candidates;
}

/** Slow routing decisions, upstream latency spikes and error bursts in the window. */
export async function bottlenecks(db: Kysely<Database>, q: AnalysisQuery, opts: BottlenecksOptions = {}): Promise<Bottlenecks> {
  const o = BottlenecksOptions.parse(opts);
  const slowUs = o.slow_decision_ms * 1000;
  const hourCells = await requestCells(db, q, q, ['hour_ms', 'model_used']);
  const modelHours = hourCells.filter((c) => c.model !== null);
  const [slow, slowest, medians, minutes] = await Promise.all([
    slowDecisionCount(db, q, slowUs),
    sql<{ request_id: string; created_at: unknown; task_type: string; decision_us: unknown }>`
      select d.request_id, r.created_at, d.task_type, d.decision_us from ${decisionsInWindowSql(q)}
      and d.decision_us > ${slowUs} ${slowIndexSql(slowUs)} order by d.decision_us desc, d.request_id limit ${o.limit}`.execute(db),
    medianLatencyPerModel(
      db,
      q,
      sumCells(
        modelHours,
        (c) => c.model!,
        (c) => c.requests,
      ),
    ),
    errorMinutes(db, q, o),
  ]);
  const routed = hourCells.reduce((sum, c) => sum + c.routed, 0);
  const latency_spikes = modelHours
    .map((h) => {
      const model = h.model!;
      const median = medians.get(model) ?? 0;
      const avg = h.latencyMs / h.requests;
      return {
        model,
        hour_start: isoOf(h.hourMs),
        requests: h.requests,
        avg_latency_ms: roundSig(avg) ?? 0,
        model_median_latency_ms: median,
        ratio: median > 0 ? (roundSig(avg / median, 4) ?? 0) : 0,
      };
    })
    .filter((s) => s.requests >= o.spike_min_requests && s.model_median_latency_ms > 0 && s.ratio >= o.spike_factor)
    .sort((a, b) => b.ratio - a.ratio || a.hour_start.localeCompare(b.hour_start))
    .slice(0, o.limit);
  const error_bursts = minutes
    .filter((m) => m.requests >= o.burst_min_requests && m.errors / m.requests >= o.error_rate_threshold)
    .sort((a, b) => b.errors / b.requests - a.errors / a.requests || b.errors - a.errors || a.b - b.b)
    .slice(0, o.limit)
    .map((m) => ({
      minute_start: isoOf(m.b),
      requests: m.requests,
      errors: m.errors,
      error_rate: roundSig(m.errors / m.requests) ?? 0,
      error_types: m.types.sort((a, b) => b.requests - a.requests),
    }));
  const n = hourCells.reduce((sum, c) => sum + c.requests, 0);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: no bottlenecks to find');
  else if (routed === 0) gaps.push('no routed requests in this window: routing decision times unavailable');
  gaps.push('queue depth is not recorded in the request log: queueing problems show only as latency');
  return {
    sample_size: n,
    data_gaps: gaps,
    options: o,
    slow_decisions: {
      threshold_ms: o.slow_decision_ms,
      routed_requests: routed,
      count: slow,
      share: roundSig(ratio(slow, routed)),
      slowest: slowest.rows.map((s) => ({
        request_id: s.request_id,
        created_at: isoOf(num(s.created_at)),
        task_type: s.task_type,
        decision_ms: num(s.decision_us) / 1000,
      })),
    },
    latency_spikes,
    error_bursts,
  };
}
