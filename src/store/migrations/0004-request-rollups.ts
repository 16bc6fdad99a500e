import type { CreateTableBuilder, Kysely, Migration } from 'kysely';

/**
 * Hourly rollups of the request log and an index for exact latency percentiles (issue 5: the 30-day
 * report over a million requests). SQLite has no hash aggregation, so every GROUP BY over a month
 * sorted a million rows; the analyses now read whole hours from `request_rollup_hourly` and only the
 * partial hours at the window's edges from `requests` (src/analytics/rollup/).
 *
 * - request_rollup_hourly: one row per (UTC hour, model, task type, key, team, status, error type) with
 *   counts and sums, and the routed requests per complexity bucket (0.2 wide) as columns rather than a
 *   grouping, so they do not multiply the rows; and the completion figures of the quality analysis that a
 *   request row decides by itself (completed, cut off, filtered, failed as a task with its cost). Feedback
 *   arrives after the hour, so it is never rolled up. NULL is a group value like any other.
 * - rollup_watermarks: per rollup, the epoch ms before which every hour is rolled up.
 * - requests_latency_window_idx: requests ordered by latency with the window and filter columns, so a
 *   nearest-rank percentile is one index walk with OFFSET (no sort, no table row read).
 */
async function up(db: Kysely<unknown>): Promise<void> {
  await withRollupCellColumns(db.schema.createTable('request_rollup_hourly').ifNotExists()).execute();
  await db.schema.createIndex('request_rollup_hourly_hour_idx').ifNotExists().on('request_rollup_hourly').column('hour_ms').execute();
  await db.schema
    .createTable('rollup_watermarks')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('through_ms', 'bigint', (c) => c.notNull())
    .execute();
  await createLatencyWindowIndex(db);
}

/** Also what migration 0018's down() puts back. */
export async function createLatencyWindowIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('requests_latency_window_idx')
    .ifNotExists()
    .on('requests')
    .columns(['latency_ms', 'created_at', 'task_type', 'key_id', 'model_used'])
    .execute();
}

export const migration0004RequestRollups: Migration = {
  up,
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('requests_latency_window_idx').ifExists().execute();
    await db.schema.dropTable('rollup_watermarks').ifExists().execute();
    await db.schema.dropTable('request_rollup_hourly').ifExists().execute();
  },
};

/**
 * The columns of a request rollup table (migration 0005 creates the daily one with the same columns).
 * Part of a migration: never change it; a new column is a new migration.
 */
export function withRollupCellColumns<T extends CreateTableBuilder<string, never>>(table: T): T {
  return table
    .addColumn('hour_ms', 'bigint', (c) => c.notNull())
    .addColumn('model_used', 'text')
    .addColumn('task_type', 'text')
    .addColumn('key_id', 'text')
    .addColumn('team', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_type', 'text')
    .addColumn('requests', 'bigint', (c) => c.notNull())
    .addColumn('cost_usd', 'double precision', (c) => c.notNull())
    .addColumn('cache_saved_usd', 'double precision', (c) => c.notNull())
    .addColumn('cache_hits', 'bigint', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('routed', 'bigint', (c) => c.notNull())
    .addColumn('complexity', 'double precision', (c) => c.notNull())
    .addColumn('complexity_0', 'bigint', (c) => c.notNull())
    .addColumn('complexity_1', 'bigint', (c) => c.notNull())
    .addColumn('complexity_2', 'bigint', (c) => c.notNull())
    .addColumn('complexity_3', 'bigint', (c) => c.notNull())
    .addColumn('complexity_4', 'bigint', (c) => c.notNull())
    .addColumn('completed', 'bigint', (c) => c.notNull())
    .addColumn('truncated', 'bigint', (c) => c.notNull())
    .addColumn('content_filtered', 'bigint', (c) => c.notNull())
    .addColumn('completion_failed', 'bigint', (c) => c.notNull())
    .addColumn('completion_failed_cost_usd', 'double precision', (c) => c.notNull())
    .addColumn('completion_failed_cost_usd_sq', 'double precision', (c) => c.notNull())
    .addColumn('decision_us', 'double precision', (c) => c.notNull()) as T;
}
