import { sql, type RawBuilder } from 'kysely';
import { completedSql, completionFailureSql } from '../quality.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** `ms` rounded down / up to a multiple of `unitMs` (whole UTC hours and days are multiples of epoch ms). */
export const floorTo = (ms: number, unitMs: number): number => Math.floor(ms / unitMs) * unitMs;
export const ceilTo = (ms: number, unitMs: number): number => Math.ceil(ms / unitMs) * unitMs;

/** Upper edges of the complexity buckets (0.2 wide over the router's 0–1 scale; 1.0 falls in the last). */
export const COMPLEXITY_EDGES = [0, 0.2, 0.4, 0.6, 0.8, 1] as const;

/** The columns of request_rollup_hourly, in the order cellSelectSql selects them. */
export const CELL_COLUMNS = [
  'hour_ms',
  'model_used',
  'task_type',
  'key_id',
  'team',
  'status',
  'error_type',
  'requests',
  'cost_usd',
  'cache_saved_usd',
  'cache_hits',
  'latency_ms',
  'routed',
  'complexity',
  'decision_us',
  'complexity_0',
  'complexity_1',
  'complexity_2',
  'complexity_3',
  'complexity_4',
  'completed',
  'truncated',
  'content_filtered',
  'completion_failed',
  'completion_failed_cost_usd',
  'completion_failed_cost_usd_sq',
] as const;

/** The grouping columns of a rollup row; the rest of CELL_COLUMNS are sums. */
export const CELL_DIMS = ['hour_ms', 'model_used', 'task_type', 'key_id', 'team', 'status', 'error_type'] as const;
export type CellDim = (typeof CELL_DIMS)[number];
export const SUMMED_COLUMNS = CELL_COLUMNS.filter((c) => !(CELL_DIMS as readonly string[]).includes(c));

/** SQL true when decision `d`'s complexity falls in bucket i (the last bucket takes everything from its lower edge). */
function inBucket(i: number): RawBuilder<unknown> {
  const low = COMPLEXITY_EDGES[i] ?? 0;
  const high = COMPLEXITY_EDGES[i + 1] ?? 1;
  if (i === 0) return sql`d.complexity < ${sql.lit(high)}`;
  if (i === COMPLEXITY_EDGES.length - 2) return sql`d.complexity >= ${sql.lit(low)}`;
  return sql`d.complexity >= ${sql.lit(low)} and d.complexity < ${sql.lit(high)}`;
}

/**
 * The rollup grouping over the requests matching `where` (alias `r`, decisions `d` left-joined): one row
 * per hour and group with the sums the analyses add up. Both the rollup refresh (insert … select) and the
 * partial hours at a window's edges read through it, so the two can only agree.
 */
export function cellSelectSql(where: RawBuilder<unknown>): RawBuilder<unknown> {
  const hour = sql`(r.created_at / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`;
  const failed = completionFailureSql('r');
  const buckets = COMPLEXITY_EDGES.slice(0, -1).map((_, i) => sql`sum(case when ${inBucket(i)} then 1 else 0 end) as ${sql.ref(`complexity_${i}`)}`);
  return sql`
    select ${hour} as hour_ms, r.model_used, r.task_type, r.key_id, r.team, r.status, r.error_type,
      count(*) as requests, coalesce(sum(r.cost_usd), 0) as cost_usd, coalesce(sum(r.cache_saved_usd), 0) as cache_saved_usd,
      coalesce(sum(r.cache_hit), 0) as cache_hits, coalesce(sum(r.latency_ms), 0) as latency_ms,
      count(d.request_id) as routed, coalesce(sum(d.complexity), 0) as complexity, coalesce(sum(d.decision_us), 0) as decision_us, ${sql.join(buckets)},
      sum(case when ${completedSql('r')} then 1 else 0 end) as completed,
      sum(case when r.status < 400 and r.finish_reason = 'length' then 1 else 0 end) as truncated,
      sum(case when r.status < 400 and r.finish_reason = 'content_filter' then 1 else 0 end) as content_filtered,
      sum(case when ${failed} then 1 else 0 end) as completion_failed,
      coalesce(sum(case when ${failed} then r.cost_usd else 0 end), 0) as completion_failed_cost_usd,
      coalesce(sum(case when ${failed} then r.cost_usd * r.cost_usd else 0 end), 0) as completion_failed_cost_usd_sq
    from requests r left join decisions d on d.request_id = r.id
    where ${where}
    group by ${hour}, r.model_used, r.task_type, r.key_id, r.team, r.status, r.error_type`;
}
