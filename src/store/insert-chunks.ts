/**
 * Splits rows so one multi-row INSERT stays under the driver's bound-parameter limit
 * (SQLite 32766 since 3.32, PostgreSQL 65535: the wire protocol counts parameters in an int16).
 */
export function* chunkRowsForParams<T extends object>(rows: readonly T[], maxParams: number): Generator<T[]> {
  const first = rows[0];
  if (first === undefined) return;
  const columnsPerRow = Math.max(1, Object.keys(first).length);
  const rowsPerChunk = Math.max(1, Math.floor(maxParams / columnsPerRow));
  for (let start = 0; start < rows.length; start += rowsPerChunk) {
    yield rows.slice(start, start + rowsPerChunk);
  }
}

export const SQLITE_MAX_PARAMS = 32_766;
export const POSTGRES_MAX_PARAMS = 65_535;
