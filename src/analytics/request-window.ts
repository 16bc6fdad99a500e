import { sql, type RawBuilder } from 'kysely';
import type { AnalysisQuery } from './analysis-query.ts';

/**
 * The WHERE condition every analysis applies to the `requests` table (aliased `alias`): created in
 * [fromMs, toMs), and the task type, key and model filters when given. Plain SQL that reads the same on
 * SQLite and PostgreSQL; values are bound parameters.
 */
export function requestWindowSql(q: AnalysisQuery, alias = 'r', range: { fromMs: number; toMs: number } = q): RawBuilder<unknown> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  const parts: RawBuilder<unknown>[] = [sql`${col('created_at')} >= ${range.fromMs}`, sql`${col('created_at')} < ${range.toMs}`];
  if (q.taskTypes.length > 0) parts.push(sql`${col('task_type')} in (${sql.join(q.taskTypes)})`);
  if (q.keyIds.length > 0) parts.push(sql`${col('key_id')} in (${sql.join(q.keyIds)})`);
  if (q.models.length > 0) parts.push(sql`${col('model_used')} in (${sql.join(q.models)})`);
  return sql.join(parts, sql` and `);
}

/**
 * `decisions d` joined to their requests `r` in the window, for a FROM clause: `from ${decisionsInWindowSql(q)}`
 * (append further conditions with `and …`). Written as a cross join with the join condition in WHERE —
 * the same inner join — so that SQLite, which keeps the order of a CROSS JOIN, walks the decisions'
 * covering index in request-id order and probes the requests' id index in that same order (both
 * index-only, migration 0003): about seven times less work over a month than probing the decisions
 * once per request of the window. PostgreSQL plans it like any inner join.
 */
export function decisionsInWindowSql(q: AnalysisQuery): RawBuilder<unknown> {
  return sql`decisions d cross join requests r where r.id = d.request_id and ${requestWindowSql(q)}`;
}

/** A number from a result row: pg returns COUNT/SUM of BIGINT as int8 (parsed to number) and AVG as numeric. */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}

/** Like `num`, but SQL NULL (no rows to average) stays null. */
export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** `part / whole`, or null when there is no whole to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Percentage change from `before` to `after`; null when there was nothing before. */
export function changePct(before: number, after: number): number | null {
  return before > 0 ? ((after - before) / before) * 100 : null;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** Fewer requests than this in a group and we say its confidence interval is wide. */
export const SMALL_SAMPLE = 30;
