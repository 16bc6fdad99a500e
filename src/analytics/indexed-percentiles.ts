import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { percentiles, type Percentile, type PercentileValues } from './percentiles.ts';
import { decisionsInWindowSql, num, requestWindowSql } from './request-window.ts';

/**
 * Below this many requests in the window the window-function percentiles (a sort of the window's values)
 * beat walking the latency index, which reads every index entry up to the rank whatever the window.
 */
export const INDEX_WALK_MIN_REQUESTS = 50_000;

/**
 * The window condition with every column wrapped (`+x`, `x || ''`) so that no index serves it: SQLite
 * then walks requests_latency_window_idx (migration 0004) in latency order, testing the window and
 * filters on the index entry, instead of reading the window by created_at and sorting it. PostgreSQL
 * plans it as it likes; the answer is the same.
 */
function unindexedWindowSql(q: AnalysisQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`+r.created_at >= ${q.fromMs}`, sql`+r.created_at < ${q.toMs}`];
  if (q.taskTypes.length > 0) parts.push(sql`(r.task_type || '') in (${sql.join(q.taskTypes)})`);
  if (q.keyIds.length > 0) parts.push(sql`(r.key_id || '') in (${sql.join(q.keyIds)})`);
  if (q.models.length > 0) parts.push(sql`(r.model_used || '') in (${sql.join(q.models)})`);
  return sql.join(parts, sql` and `);
}

/**
 * Nearest-rank percentiles of the window's request latency (the same values as `percentiles`), given the
 * number of requests `n` in the window: for a large window each percentile is the row at rank
 * ceil(p·n/100) of the latency index, read with OFFSET — no sort of a month of rows.
 */
export async function requestLatencyPercentiles(
  db: Kysely<Database>,
  q: AnalysisQuery,
  n: number,
  ps: readonly Percentile[],
  minRequestsForIndexWalk = INDEX_WALK_MIN_REQUESTS,
): Promise<PercentileValues> {
  if (n < minRequestsForIndexWalk || n === 0) return percentiles(db, sql`select r.latency_ms as x from requests r where ${requestWindowSql(q)}`, ps);
  const values = await Promise.all(
    ps.map(async (p) => {
      // The smallest rank with rank·100 ≥ p·n, in integer arithmetic.
      const rank = Math.floor((p * n + 99) / 100);
      const row = await sql<{ x: unknown }>`
        select r.latency_ms as x from requests r where ${unindexedWindowSql(q)} order by r.latency_ms limit 1 offset ${rank - 1}`.execute(db);
      return [p, row.rows[0]?.x] as const;
    }),
  );
  const out: PercentileValues = { n };
  for (const [p, x] of values) if (x !== undefined && x !== null) out[`p${p}`] = num(x);
  return out;
}

/**
 * Nearest-rank percentiles (the same values as `percentiles`) from the distinct values and their counts,
 * for values with few distinct values such as routing decision times: a GROUP BY of the values sorts
 * them once, where the window functions sort and then number every row; the ranks are counted here.
 * `source` selects column `x`.
 */
export async function percentilesFromCounts(db: Kysely<Database>, source: RawBuilder<unknown>, ps: readonly Percentile[]): Promise<PercentileValues> {
  const rows = await sql<{ x: unknown; n: unknown }>`
    select s.x as x, count(*) as n from (${source}) s where s.x is not null group by s.x order by s.x`.execute(db);
  return percentilesOfCounts(
    rows.rows.map((r) => ({ x: num(r.x), n: num(r.n) })),
    ps,
  );
}

/** Nearest-rank percentiles and mean of values given as distinct values with counts, in ascending order. */
export function percentilesOfCounts(values: ReadonlyArray<{ x: number; n: number }>, ps: readonly Percentile[]): PercentileValues {
  const n = values.reduce((s, v) => s + v.n, 0);
  if (n === 0) return {};
  const out: PercentileValues = { n, mean: values.reduce((s, v) => s + v.x * v.n, 0) / n };
  for (const p of ps) {
    // The smallest rank with rank·100 ≥ p·n, in integer arithmetic.
    let rank = Math.floor((p * n + 99) / 100);
    for (const v of values) {
      if (rank <= v.n) {
        out[`p${p}`] = v.x;
        break;
      }
      rank -= v.n;
    }
  }
  return out;
}

/**
 * Nearest-rank percentiles and mean of the routing decision time (decision_us) of the window's routed
 * requests. Without key or model filters it walks decisions_time_window_idx (migration 0005) in
 * decision-time order, counting the distinct times and testing the window on the index entry (a decision
 * carries its request's creation time and task type): on a million decisions ~0.1 s for any window,
 * where joining them to their requests took 0.8 s for a day and 2.3 s for a month. With those filters it
 * joins; `+d.decision_us` keeps SQLite from walking the decision-time index there and probing every
 * request in that order (seconds).
 */
export async function decisionTimePercentiles(db: Kysely<Database>, q: AnalysisQuery, ps: readonly Percentile[]): Promise<PercentileValues> {
  if (q.keyIds.length > 0 || q.models.length > 0) {
    return percentilesFromCounts(db, sql`select +d.decision_us as x from ${decisionsInWindowSql(q)}`, ps);
  }
  return percentilesFromCounts(db, sql`select d.decision_us as x from decisions d where ${decisionWindowSql(q)}`, ps);
}

/**
 * The window on the decisions alone (a decision carries its request's creation time and task type), with
 * the columns wrapped so that only decisions_time_window_idx serves it. Not for key or model filters,
 * which only the request row has.
 */
export function decisionWindowSql(q: AnalysisQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`+d.created_at >= ${q.fromMs}`, sql`+d.created_at < ${q.toMs}`];
  if (q.taskTypes.length > 0) parts.push(sql`(d.task_type || '') in (${sql.join(q.taskTypes)})`);
  return sql.join(parts, sql` and `);
}
