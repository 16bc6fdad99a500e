import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { AnalysisQuery } from '../analysis-query.ts';
import { num, requestWindowSql } from '../request-window.ts';
import { CELL_COLUMNS, CELL_DIMS, cellSelectSql, SUMMED_COLUMNS, type CellDim } from './cell-sql.ts';
import { rollupWatermarks } from './refresh-rollups.ts';
import { windowSegments, type WindowSegment } from './window-segments.ts';

/** Sums of the requests of one hour and group (a row of request_rollup_hourly). */
export interface RequestCell {
  hourMs: number;
  model: string | null;
  taskType: string | null;
  keyId: string | null;
  team: string | null;
  status: number;
  errorType: string | null;
  requests: number;
  costUsd: number;
  cacheSavedUsd: number;
  cacheHits: number;
  latencyMs: number;
  /** Requests with a routing decision, and sums over their decisions. */
  routed: number;
  complexity: number;
  decisionUs: number;
  /** Routed requests per complexity bucket (COMPLEXITY_EDGES). */
  complexityBuckets: number[];
  /** Completion figures the request row decides (quality.ts): completed, cut off, filtered, failed as a task. */
  completed: number;
  truncated: number;
  contentFiltered: number;
  completionFailed: number;
  /** Sum of cost and of cost² over the requests that failed as a task. */
  completionFailedCostUsd: number;
  completionFailedCostUsdSq: number;
}

type CellRow = Record<(typeof CELL_COLUMNS)[number], unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function cellOf(r: CellRow): RequestCell {
  return {
    hourMs: num(r.hour_ms),
    model: str(r.model_used),
    taskType: str(r.task_type),
    keyId: str(r.key_id),
    team: str(r.team),
    status: num(r.status),
    errorType: str(r.error_type),
    requests: num(r.requests),
    costUsd: num(r.cost_usd),
    cacheSavedUsd: num(r.cache_saved_usd),
    cacheHits: num(r.cache_hits),
    latencyMs: num(r.latency_ms),
    routed: num(r.routed),
    complexity: num(r.complexity),
    decisionUs: num(r.decision_us),
    complexityBuckets: [num(r.complexity_0), num(r.complexity_1), num(r.complexity_2), num(r.complexity_3), num(r.complexity_4)],
    completed: num(r.completed),
    truncated: num(r.truncated),
    contentFiltered: num(r.content_filtered),
    completionFailed: num(r.completion_failed),
    completionFailedCostUsd: num(r.completion_failed_cost_usd),
    completionFailedCostUsdSq: num(r.completion_failed_cost_usd_sq),
  };
}

/** The analysis filters on a rollup row (same column names as `requests`). */
function rollupFilterSql(q: AnalysisQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
  if (q.taskTypes.length > 0) parts.push(sql`task_type in (${sql.join(q.taskTypes)})`);
  if (q.keyIds.length > 0) parts.push(sql`key_id in (${sql.join(q.keyIds)})`);
  if (q.models.length > 0) parts.push(sql`model_used in (${sql.join(q.models)})`);
  return sql.join(parts, sql` and `);
}

/** The SQL of one stretch of the window, in CELL_COLUMNS order. */
function segmentSql(q: AnalysisQuery, s: WindowSegment): RawBuilder<unknown> {
  const columns = sql.join(CELL_COLUMNS.map((c) => sql.ref(c)));
  if (s.source === 'raw') return sql`select ${columns} from (${cellSelectSql(requestWindowSql(q, 'r', s))}) e`;
  const table = sql.ref(s.source === 'daily' ? 'request_rollup_daily' : 'request_rollup_hourly');
  return sql`select ${columns} from ${table} where hour_ms >= ${s.fromMs} and hour_ms < ${s.toMs} and ${rollupFilterSql(q)}`;
}

/**
 * Sums of the requests created in `range` that match the filters of `q`, grouped by `dims` (a dimension
 * left out reads as NULL, status as 0): whole days from request_rollup_daily, whole hours from
 * request_rollup_hourly, the rest (partial hours at the edges, hours not rolled up yet) from the raw rows
 * through the same grouping (windowSegments), so the sums equal those over the raw rows. With `hour_ms`
 * among the dims the cells are hourly, unless `resolution` is 'day': then a cell's hour_ms may be the
 * first hour of its day (for daily trends). Grouped in SQL: a month is ~160k hourly rollup rows, which SQL
 * sums in a fraction of the time JavaScript takes to receive them as objects.
 */
export async function requestCells(
  db: Kysely<Database>,
  q: AnalysisQuery,
  range: { fromMs: number; toMs: number } = q,
  dims: readonly CellDim[] = CELL_DIMS,
  resolution: 'hour' | 'day' = 'hour',
): Promise<RequestCell[]> {
  const useDaily = resolution === 'day' || !dims.includes('hour_ms');
  const segments = windowSegments(range, await rollupWatermarks(db), useDaily);
  if (segments.length === 0) return [];
  const grouped = dims.map((d) => sql.ref(`c.${d}`));
  const selected = CELL_DIMS.map((d) =>
    dims.includes(d) ? sql`c.${sql.ref(d)} as ${sql.ref(d)}` : sql`${d === 'status' ? sql.lit(0) : sql`null`} as ${sql.ref(d)}`,
  );
  const sums = SUMMED_COLUMNS.map((c) => sql`sum(c.${sql.ref(c)}) as ${sql.ref(c)}`);
  const result = await sql<CellRow>`
    select ${sql.join([...selected, ...sums])}
    from (${sql.join(
      segments.map((s) => segmentSql(q, s)),
      sql` union all `,
    )}) c
    ${dims.length > 0 ? sql`group by ${sql.join(grouped)}` : sql``}`.execute(db);
  // An empty range still sums to one row of NULLs when ungrouped: no cells then.
  return result.rows.filter((r) => r.requests !== null).map(cellOf);
}

/** Adds `value(cell)` per group key, in first-seen order. */
export function sumCells<K>(cells: readonly RequestCell[], keyOf: (c: RequestCell) => K, value: (c: RequestCell) => number): Map<K, number> {
  const out = new Map<K, number>();
  for (const c of cells) {
    const k = keyOf(c);
    out.set(k, (out.get(k) ?? 0) + value(c));
  }
  return out;
}
