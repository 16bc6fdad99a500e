import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { changePct, isoOf, num, requestWindowSql } from './request-window.ts';
import { roundSig } from './stats.ts';

export type TrendBucket = 'hour' | 'day';
const BUCKET_MS: Record<TrendBucket, number> = { hour: 3_600_000, day: 86_400_000 };

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

/** Hourly buckets up to two days, daily beyond: enough points to see a trend, few enough to read. */
export function bucketFor(q: AnalysisQuery): TrendBucket {
  return q.toMs - q.fromMs <= 2 * BUCKET_MS.day ? 'hour' : 'day';
}

/**
 * Spend per UTC hour or day, empty buckets filled with zeros. Buckets are epoch-ms integer division
 * (`created_at / 3600000 * 3600000`), which is exact integer arithmetic on both dialects.
 */
export async function costTrend(db: Kysely<Database>, q: AnalysisQuery, bucket: TrendBucket = bucketFor(q)): Promise<CostTrend> {
  const size = sql.lit(BUCKET_MS[bucket]);
  const midMs = Math.floor((q.fromMs + q.toMs) / 2);
  const [rows, halves] = await Promise.all([
    sql<{ b: unknown; n: unknown; cost: unknown }>`
      select (r.created_at / ${size}) * ${size} as b, count(*) as n, sum(r.cost_usd) as cost
      from requests r where ${requestWindowSql(q)} group by (r.created_at / ${size}) * ${size} order by b`.execute(db),
    sql<{ first: unknown; second: unknown }>`
      select sum(case when r.created_at < ${midMs} then r.cost_usd else 0 end) as first,
        sum(case when r.created_at >= ${midMs} then r.cost_usd else 0 end) as second
      from requests r where ${requestWindowSql(q)}`.execute(db),
  ]);
  const byBucket = new Map(rows.rows.map((r) => [num(r.b), { requests: num(r.n), cost: num(r.cost) }]));
  const step = BUCKET_MS[bucket];
  const trend: TrendPoint[] = [];
  let previous: number | null = null;
  for (let start = Math.floor(q.fromMs / step) * step; start < q.toMs; start += step) {
    const b = byBucket.get(start) ?? { requests: 0, cost: 0 };
    trend.push({ bucket_start: isoOf(start), requests: b.requests, cost_usd: roundSig(b.cost) ?? 0, change_pct: previous === null ? null : roundSig(changePct(previous, b.cost), 4) });
    previous = b.cost;
  }
  const h = halves.rows[0];
  return { trend_bucket: bucket, trend, trend_change_pct: roundSig(changePct(num(h?.first), num(h?.second)), 4) };
}
