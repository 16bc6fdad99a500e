import type { Kysely, Migration } from 'kysely';
import { withRollupCellColumns } from './0004-request-rollups.ts';

/**
 * Daily rollups and a decision-time index (issue 5: the 30-day report over a million requests).
 *
 * - request_rollup_daily: request_rollup_hourly summed per UTC day (same columns; `hour_ms` holds the
 *   day's first hour). A month of hourly rows is ~160k groups, each analysis' GROUP BY over them about
 *   0.7 s on SQLite; the same month is ~30× fewer daily rows. Analyses that need hours (peak hours,
 *   hourly trends) keep reading the hourly table.
 * - decisions_time_window_idx: decisions ordered by decision time with the window and task-type columns,
 *   so the decision-time percentiles of a large window count the distinct times in one index walk
 *   instead of sorting a month of joined rows.
 */
async function up(db: Kysely<unknown>): Promise<void> {
  await withRollupCellColumns(db.schema.createTable('request_rollup_daily').ifNotExists()).execute();
  await db.schema.createIndex('request_rollup_daily_day_idx').ifNotExists().on('request_rollup_daily').column('hour_ms').execute();
  await db.schema.createIndex('decisions_time_window_idx').ifNotExists().on('decisions').columns(['decision_us', 'created_at', 'task_type']).execute();
}

export const migration0005DailyRollups: Migration = {
  up,
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('decisions_time_window_idx').ifExists().execute();
    await db.schema.dropTable('request_rollup_daily').ifExists().execute();
  },
};
