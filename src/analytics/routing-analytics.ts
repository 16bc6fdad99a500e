import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { decisionTimePercentiles, requestLatencyPercentiles } from './indexed-percentiles.ts';
import { ratio, SMALL_SAMPLE } from './request-window.ts';
import { requestCells } from './rollup/request-cells.ts';
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
  // Totals, the model distribution and the failures are sums of the window's cells (rollup + edges).
  const [cells, decisionPct] = await Promise.all([
    requestCells(db, q, q, ['model_used', 'status', 'error_type']),
    decisionTimePercentiles(db, q, [50, 95, 99]),
  ]);
  let total = 0;
  let ok = 0;
  let hits = 0;
  let latencySum = 0;
  const perModel = new Map<string | null, number>();
  const failures: RoutingAnalytics['failures'] = [];
  for (const c of cells) {
    const n = c.requests;
    total += n;
    hits += c.cacheHits;
    latencySum += c.latencyMs;
    perModel.set(c.model, (perModel.get(c.model) ?? 0) + n);
    if (c.status < 400) ok += n;
    else {
      const same = failures.find((f) => f.status === c.status && f.error_type === c.errorType);
      if (same) same.requests += n;
      else failures.push({ status: c.status, error_type: c.errorType, requests: n });
    }
  }
  const latencyPct = await requestLatencyPercentiles(db, q, total, [50, 95, 99]);
  failures.sort((a, b) => b.requests - a.requests || a.status - b.status || String(a.error_type).localeCompare(String(b.error_type)));
  const models = [...perModel.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const routed = decisionPct.n ?? 0;
  const gaps: string[] = [];
  if (total === 0) gaps.push('no requests in this window: nothing to analyse; widen the timeframe or check the filters');
  else if (routed === 0) gaps.push('no routed requests in this window (clients named models directly): routing latency unavailable');
  else if (routed < SMALL_SAMPLE) gaps.push(`only ${routed} routed requests: routing latency percentiles rest on few values`);
  const unrouted = perModel.get(null);
  if (unrouted) gaps.push(`${unrouted} requests never reached a model (rejected before routing): listed as model "(none)"`);
  return {
    sample_size: total,
    data_gaps: gaps,
    total_requests: total,
    routed_requests: routed,
    routing_latency_ms: latencySummary(routed, decisionPct.mean ?? null, decisionPct, 1000),
    request_latency_ms: latencySummary(total, ratio(latencySum, total), latencyPct, 1),
    model_distribution: models.map(([model, n]) => ({ model: model ?? '(none)', requests: n, share: roundSig(n / total) ?? 0 })),
    success_rate: ratio(ok, total),
    failure_rate: ratio(total - ok, total),
    failures,
    cache_hits: hits,
  };
}
