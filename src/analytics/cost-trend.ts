import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { changePct, isoOf } from './request-window.ts';
import { requestCells, type RequestCell } from './rollup/request-cells.ts';
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
 * Spend per UTC hour or day, empty buckets filled with zeros, from the cells of the window's two halves
 * (requestCells over [from, mid) and [mid, to), so the halves are exact even when mid is not on an hour).
 * Buckets are whole hours or days of epoch ms, so a cell (an hour, or a day for a daily trend) falls in exactly one bucket.
 */
export function costTrendOf(q: AnalysisQuery, firstHalf: readonly RequestCell[], secondHalf: readonly RequestCell[], bucket: TrendBucket = bucketFor(q)): CostTrend {
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
    trend.push({ bucket_start: isoOf(start), requests: b.requests, cost_usd: roundSig(b.cost) ?? 0, change_pct: previous === null ? null : roundSig(changePct(previous, b.cost), 4) });
    previous = b.cost;
  }
  const cost = (cells: readonly RequestCell[]) => cells.reduce((sum, c) => sum + c.costUsd, 0);
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
  const resolution = bucket === 'day' ? 'day' : 'hour';
  const [a, b] = await Promise.all([requestCells(db, q, first, ['hour_ms'], resolution), requestCells(db, q, second, ['hour_ms'], resolution)]);
  return costTrendOf(q, a, b, bucket);
}
