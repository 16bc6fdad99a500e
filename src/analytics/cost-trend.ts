import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { changePct, isoOf, num, requestWindowSql } from './request-window.ts';
import { requestCells, type RequestCell } from './rollup/request-cells.ts';
import { roundSig } from './stats.ts';

export type TrendBucket = 'minute' | 'hour' | 'day';
const BUCKET_MS: Record<TrendBucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** What a trend needs of a cell: its bucket start (hour, day or minute), requests and spend. */
export type TrendCell = Pick<RequestCell, 'hourMs' | 'requests' | 'costUsd'>;

export interface TrendPoint {
  bucket_start: string;
  requests: number;
  cost_usd: number;
  /** Change of cost against the bucket before, in percent; null for the first bucket or after $0. */
  change_pct: number | null;
}

export interface CostTrend {
  trend_bucket: TrendBucket;
  trend: TrendPoint[];
  /** Cost of the window's second half against its first half, in percent (null when the first half cost nothing). */
  trend_change_pct: number | null;
}

/**
 * Minutes up to two hours, hours up to two days, days beyond: enough points to see a trend (an hour
 * in hourly buckets is a line between two points), few enough to read.
 */
export function bucketFor(q: AnalysisQuery): TrendBucket {
  const spanMs = q.toMs - q.fromMs;
  if (spanMs <= 2 * BUCKET_MS.hour) return 'minute';
  return spanMs <= 2 * BUCKET_MS.day ? 'hour' : 'day';
}

/**
 * Requests and spend per UTC minute of `range`, straight from the request rows (the rollups are
 * hourly; a minute trend covers at most two hours, which the created_at index reads quickly).
 */
export async function minuteCells(db: Kysely<Database>, q: AnalysisQuery, range: { fromMs: number; toMs: number }): Promise<TrendCell[]> {
  const result = await sql<{ minute_ms: unknown; requests: unknown; cost_usd: unknown }>`
    select (r.created_at / 60000) * 60000 as minute_ms, count(*) as requests, sum(r.cost_usd) as cost_usd
    from requests r where ${requestWindowSql(q, 'r', range)}
    group by (r.created_at / 60000)`.execute(db);
  return result.rows.map((r) => ({ hourMs: num(r.minute_ms), requests: num(r.requests), costUsd: num(r.cost_usd) }));
}

/**
 * Spend per UTC minute, hour or day, empty buckets filled with zeros, from the cells of the window's two halves
 * (requestCells over [from, mid) and [mid, to), so the halves are exact even when mid is not on an hour).
 * Buckets are whole hours or days of epoch ms, so a cell (an hour, or a day for a daily trend) falls in exactly one bucket.
 */
export function costTrendOf(
  q: AnalysisQuery,
  firstHalf: readonly TrendCell[],
  secondHalf: readonly TrendCell[],
  bucket: TrendBucket = bucketFor(q),
): CostTrend {
  const step = BUCKET_MS[bucket];
  const byBucket = new Map<number, { requests: number; cost: number }>();
  for (const c of [...firstHalf, ...secondHalf]) {
    const start = Math.floor(c.hourMs / step) * step;
    const b = byBucket.get(start) ?? { requests: 0, cost: 0 };
    b.requests += c.requests;
    b.cost += c.costUsd;
    byBucket.set(start, b);
  }
  const trend: TrendPoint[] = [];
  let previous: number | null = null;
  for (let start = Math.floor(q.fromMs / step) * step; start < q.toMs; start += step) {
    const b = byBucket.get(start) ?? { requests: 0, cost: 0 };
    trend.push({
      bucket_start: isoOf(start),
      requests: b.requests,
      cost_usd: roundSig(b.cost) ?? 0,
      change_pct: previous === null ? null : roundSig(changePct(previous, b.cost), 4),
    });
    previous = b.cost;
  }
  const cost = (cells: readonly TrendCell[]) => cells.reduce((sum, c) => sum + c.costUsd, 0);
  return { trend_bucket: bucket, trend, trend_change_pct: roundSig(changePct(cost(firstHalf), cost(secondHalf)), 4) };
}

/** The window's halves, for costTrendOf. */
export function windowHalves(q: AnalysisQuery): [{ fromMs: number; toMs: number }, { fromMs: number; toMs: number }] {
  const midMs = Math.floor((q.fromMs + q.toMs) / 2);
  return [
    { fromMs: q.fromMs, toMs: midMs },
    { fromMs: midMs, toMs: q.toMs },
  ];
}

/** costTrendOf over the store (reads the cells itself). */
export async function costTrend(db: Kysely<Database>, q: AnalysisQuery, bucket: TrendBucket = bucketFor(q)): Promise<CostTrend> {
  const [first, second] = windowHalves(q);
  if (bucket === 'minute') {
    const [a, b] = await Promise.all([minuteCells(db, q, first), minuteCells(db, q, second)]);
    return costTrendOf(q, a, b, bucket);
  }
  const resolution = bucket === 'day' ? 'day' : 'hour';
  const [a, b] = await Promise.all([requestCells(db, q, first, ['hour_ms'], resolution), requestCells(db, q, second, ['hour_ms'], resolution)]);
  return costTrendOf(q, a, b, bucket);
}
