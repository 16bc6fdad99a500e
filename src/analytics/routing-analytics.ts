import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { percentiles } from './percentiles.ts';
import { num, numOrNull, ratio, requestWindowSql, SMALL_SAMPLE } from './request-window.ts';
import { roundSig } from './stats.ts';

export interface LatencySummaryMs {
  sample_size: number;
  avg: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RoutingAnalytics {
  sample_size: number;
  data_gaps: string[];
  total_requests: number;
  /** Requests the router decided (a virtual model such as `auto`); the rest named a model. */
  routed_requests: number;
  /** Time the router took to decide, from decisions.decision_us, in milliseconds. */
  routing_latency_ms: LatencySummaryMs;
  /** End-to-end request latency as the client saw it, in milliseconds. */
  request_latency_ms: LatencySummaryMs;
  model_distribution: { model: string; requests: number; share: number }[];
  /** Fractions 0–1 of all requests: success is status < 400. */
  success_rate: number | null;
  failure_rate: number | null;
  failures: { status: number; error_type: string | null; requests: number }[];
  cache_hits: number;
}

function latencySummary(n: number, avg: number | null, p: { p50?: number; p95?: number; p99?: number }, scale: number): LatencySummaryMs {
  const at = (v: number | undefined) => (v === undefined ? null : roundSig(v / scale));
  return { sample_size: n, avg: avg === null ? null : roundSig(avg / scale), p50: at(p.p50), p95: at(p.p95), p99: at(p.p99) };
}

/** Total requests, routing latency (avg, p50, p95, p99), model distribution, success and failure rates. */
export async function routingAnalytics(db: Kysely<Database>, q: AnalysisQuery): Promise<RoutingAnalytics> {
  const where = requestWindowSql(q);
  const [totals, models, failures, decisions] = await Promise.all([
    sql<{ n: unknown; ok: unknown; hits: unknown; avg_latency: unknown }>`
      select count(*) as n, sum(case when r.status < 400 then 1 else 0 end) as ok,
        sum(r.cache_hit) as hits, avg(r.latency_ms) as avg_latency
      from requests r where ${where}`.execute(db),
    sql<{ model: string | null; n: unknown }>`
      select r.model_used as model, count(*) as n from requests r where ${where}
      group by r.model_used order by count(*) desc, r.model_used`.execute(db),
    sql<{ status: unknown; error_type: string | null; n: unknown }>`
      select r.status, r.error_type, count(*) as n from requests r where ${where} and r.status >= 400
      group by r.status, r.error_type order by count(*) desc, r.status`.execute(db),
    sql<{ n: unknown; avg_us: unknown }>`
      select count(*) as n, avg(d.decision_us) as avg_us
      from decisions d join requests r on r.id = d.request_id where ${where}`.execute(db),
  ]);
  const [decisionPct, latencyPct] = await Promise.all([
    percentiles(db, sql`select d.decision_us as x from decisions d join requests r on r.id = d.request_id where ${where}`, [50, 95, 99]),
    percentiles(db, sql`select r.latency_ms as x from requests r where ${where}`, [50, 95, 99]),
  ]);
  const t = totals.rows[0];
  const total = num(t?.n);
  const ok = num(t?.ok);
  const routed = num(decisions.rows[0]?.n);
  const gaps: string[] = [];
  if (total === 0) gaps.push('no requests in this window: nothing to analyse; widen the timeframe or check the filters');
  else if (routed === 0) gaps.push('no routed requests in this window (clients named models directly): routing latency unavailable');
  else if (routed < SMALL_SAMPLE) gaps.push(`only ${routed} routed requests: routing latency percentiles rest on few values`);
  const unknownModel = models.rows.find((m) => m.model === null);
  if (unknownModel) gaps.push(`${num(unknownModel.n)} requests never reached a model (rejected before routing): listed as model "(none)"`);
  return {
    sample_size: total,
    data_gaps: gaps,
    total_requests: total,
    routed_requests: routed,
    routing_latency_ms: latencySummary(routed, numOrNull(decisions.rows[0]?.avg_us), decisionPct, 1000),
    request_latency_ms: latencySummary(total, numOrNull(t?.avg_latency), latencyPct, 1),
    model_distribution: models.rows.map((m) => ({ model: m.model ?? '(none)', requests: num(m.n), share: roundSig(num(m.n) / total) ?? 0 })),
    success_rate: ratio(ok, total),
    failure_rate: ratio(total - ok, total),
    failures: failures.rows.map((f) => ({ status: num(f.status), error_type: f.error_type, requests: num(f.n) })),
    cache_hits: num(t?.hits),
  };
}
