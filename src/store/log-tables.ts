import { lastWritePerReservation } from './row-codec.ts';
import type { BudgetReservationTable, DecisionTable, LearningRowTable, RequestTable } from './schema.ts';
import type { BudgetReservationRow, DecisionRow, LearningRowRecord, RequestRow } from './types.ts';

/** Fails to compile when `Cols` misses a column of `Table` (extra or misspelled names fail at `satisfies`). */
type CoversAll<Table, Cols extends readonly (keyof Table)[]> = Exclude<keyof Table, Cols[number]> extends never ? Cols : never;

// Column lists per table (same shape, different tables): each is checked against its table type by CoversAll.
const REQUEST_COLUMNS = [
  'id',
  'created_at',
  'key_id',
  'team',
  'model_requested',
  'model_used',
  'provider',
  'status',
  'error_type',
  'stream',
  'latency_ms',
  'ttft_ms',
  'upstream_latency_ms',
  'overhead_ms',
  'attempts',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'cost_usd',
  'usage_estimated',
  'finish_reason',
  'task_type',
  'decision_id',
  'metadata',
  'prompt_text',
  'response_text',
  'cache_hit',
  'cache_saved_usd',
  'optimization',
] as const satisfies readonly (keyof RequestTable)[];

const DECISION_COLUMNS = [
  'id',
  'request_id',
  'created_at',
  'routing_model',
  'task_type',
  'complexity',
  'goal',
  'chosen_model',
  'candidates',
  'rules',
  'fallbacks',
  'rationale',
  'router_version',
  'decision_us',
  'language',
  'explored',
  'trust',
] as const satisfies readonly (keyof DecisionTable)[];

const RESERVATION_COLUMNS = [
  'id',
  'key_id',
  'request_id',
  'created_at',
  'reserved_usd',
  'settled_usd',
  'status',
] as const satisfies readonly (keyof BudgetReservationTable)[];

const LEARNING_ROW_COLUMNS = [
  'request_id',
  'model',
  'created_at',
  'task_type',
  'features',
  'difficulty',
  'discrimination',
  'predicted',
  'router_version',
  'technique',
  'explored',
  'score',
  'source',
  'scored_at',
] as const satisfies readonly (keyof LearningRowTable)[];

/**
 * One log table's INSERT, as data: the SQLite write thread (plain JS, no TS imports) and the
 * main-thread multi-row INSERT are both built from it, so the column lists live only here.
 */
export interface LogTableSpec {
  readonly table: 'requests' | 'decisions' | 'budget_reservations' | 'learning_rows';
  readonly columns: readonly string[];
  /** Same syntax on SQLite and PostgreSQL. */
  readonly onConflict: string;
}

// Requests and decisions are append-only logs keyed by id: DO NOTHING makes a retried flush whose
// first attempt did commit (e.g. the connection dropped on COMMIT's reply) harmless.
export const REQUESTS_SPEC: LogTableSpec = {
  table: 'requests',
  columns: REQUEST_COLUMNS satisfies CoversAll<RequestTable, typeof REQUEST_COLUMNS>,
  onConflict: 'on conflict do nothing',
};

export const DECISIONS_SPEC: LogTableSpec = {
  table: 'decisions',
  columns: DECISION_COLUMNS satisfies CoversAll<DecisionTable, typeof DECISION_COLUMNS>,
  onConflict: 'on conflict do nothing',
};

export const RESERVATIONS_SPEC: LogTableSpec = {
  table: 'budget_reservations',
  columns: RESERVATION_COLUMNS satisfies CoversAll<BudgetReservationTable, typeof RESERVATION_COLUMNS>,
  onConflict: 'on conflict (id) do update set reserved_usd = excluded.reserved_usd, settled_usd = excluded.settled_usd, status = excluded.status',
};

/** The router's decision-time learning rows (src/store/learning-store.ts); a retried flush keeps the first. */
export const LEARNING_ROWS_SPEC: LogTableSpec = {
  table: 'learning_rows',
  columns: LEARNING_ROW_COLUMNS satisfies CoversAll<LearningRowTable, typeof LEARNING_ROW_COLUMNS>,
  onConflict: 'on conflict (request_id, model) do nothing',
};

export const LOG_TABLE_SPECS: readonly LogTableSpec[] = [REQUESTS_SPEC, DECISIONS_SPEC, RESERVATIONS_SPEC, LEARNING_ROWS_SPEC];

/**
 * Compiles the function that lays out rows as one flat array of column values, row after row, in
 * `columns` order: a flat array of primitives is what postMessage clones fastest (about 3× faster than
 * an array of objects) and what a positional INSERT binds directly. Each value is read straight from
 * the row (the row types use the column names), so only the table's columns are written and no encoded
 * copy of a row is made; booleans bind as 0/1 (the tables store SqlBoolean on both stores), a field left
 * out (a decision's trust or language) as null, and a `zeroIfAbsent` column (NOT NULL, optional on the
 * row) as 0.
 *
 * Compiled from the column lists above (constants, never input) into plain property reads
 * (`r.id, r.created_at, …`): reading `row[column]` for each name of a list is a keyed load V8 cannot
 * cache, 0.77 µs per request row in a tight loop against 0.21 µs compiled (a scratch benchmark).
 */
function compileFlattener<Row>(
  columns: readonly (keyof Row & string)[],
  zeroIfAbsent: readonly (keyof Row & string)[] = [],
): (rows: readonly Row[]) => unknown[] {
  const reads = columns.map((column) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`not a column name: ${column}`);
    return zeroIfAbsent.includes(column) ? `r.${column} ? 1 : 0` : `(x = r.${column}) === undefined ? null : typeof x === 'boolean' ? (x ? 1 : 0) : x`;
  });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the source is built from the constant column lists above
  return new Function('rows', `const values = []; let x; for (const r of rows) values.push(${reads.join(', ')}); return values;`) as (
    rows: readonly Row[],
  ) => unknown[];
}

export const flattenRequestRows: (rows: readonly RequestRow[]) => unknown[] = compileFlattener<RequestRow>(REQUEST_COLUMNS);

/** `explored` is optional on a DecisionRow (absent: not explored) and NOT NULL in the table. */
export const flattenDecisionRows: (rows: readonly DecisionRow[]) => unknown[] = compileFlattener<DecisionRow>(DECISION_COLUMNS, ['explored']);

const flattenReservations = compileFlattener<BudgetReservationRow>(RESERVATION_COLUMNS);

/** The last write of each reservation id wins (pg rejects a multi-row upsert touching one key twice). */
export function flattenReservationRows(rows: readonly BudgetReservationRow[]): unknown[] {
  return flattenReservations(lastWritePerReservation(rows));
}

export const flattenLearningRows: (rows: readonly LearningRowRecord[]) => unknown[] = compileFlattener<LearningRowRecord>(LEARNING_ROW_COLUMNS);
