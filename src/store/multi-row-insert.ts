import { CompiledQuery, type Kysely } from 'kysely';
import type { LogTableSpec } from './log-tables.ts';
import type { Database } from './schema.ts';

export type BindParamStyle = 'sqlite' | 'postgres';

/** Enough for the few row counts a batch writer produces (full batches plus the odd tail). */
const MAX_CACHED_STATEMENTS = 64;
const statementCache = new Map<string, string>();

/**
 * The text of `INSERT … VALUES (…), (…) ON CONFLICT …` for `rowCount` rows. Building it with
 * kysely's query builder cost about 2.7 ms per 500 request rows on the main thread; the text only
 * depends on the row count, so it is built once per count and reused.
 */
export function multiRowInsertSql(spec: LogTableSpec, rowCount: number, style: BindParamStyle): string {
  const key = `${style}:${spec.table}:${rowCount}`;
  const cached = statementCache.get(key);
  if (cached !== undefined) return cached;
  const width = spec.columns.length;
  const tuples: string[] = [];
  for (let row = 0; row < rowCount; row += 1) {
    const slots: string[] = [];
    for (let col = 1; col <= width; col += 1) slots.push(style === 'postgres' ? `$${row * width + col}` : '?');
    tuples.push(`(${slots.join(', ')})`);
  }
  const columns = spec.columns.map((c) => `"${c}"`).join(', ');
  const text = `insert into "${spec.table}" (${columns}) values ${tuples.join(', ')} ${spec.onConflict}`;
  if (statementCache.size >= MAX_CACHED_STATEMENTS) {
    const oldest = statementCache.keys().next().value;
    if (oldest !== undefined) statementCache.delete(oldest);
  }
  statementCache.set(key, text);
  return text;
}

/**
 * Inserts flattened rows (see `flatten*Rows`) in as few statements as the driver's bound-parameter
 * limit allows, in order, through `db` (a transaction or the pool).
 */
export async function insertFlatRows(
  db: Kysely<Database>,
  spec: LogTableSpec,
  values: readonly unknown[],
  maxParams: number,
  style: BindParamStyle,
): Promise<void> {
  const width = spec.columns.length;
  const totalRows = values.length / width;
  if (!Number.isInteger(totalRows)) throw new Error(`${values.length} values are not whole rows of ${spec.table} (${width} columns)`);
  const rowsPerStatement = Math.max(1, Math.floor(maxParams / width));
  for (let start = 0; start < totalRows; start += rowsPerStatement) {
    const rows = Math.min(rowsPerStatement, totalRows - start);
    const params = values.slice(start * width, (start + rows) * width);
    await db.executeQuery(CompiledQuery.raw(multiRowInsertSql(spec, rows, style), params));
  }
}
