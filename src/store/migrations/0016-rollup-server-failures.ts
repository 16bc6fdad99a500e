import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The rollups' `completion_failed` sums now count only gateway and upstream failures (status ≥ 500) and
 * answers cut off, no longer client errors (4xx), which say nothing about a model's answer
 * (src/analytics/quality.ts). Rows rolled up before count both; they are dropped with their watermarks
 * so the next refresh rebuilds every hour and day from the request log with the new definition (the
 * same as rebuildRollups; the log itself is untouched). Nothing to undo: a rollup is a cache of the log.
 */
export const migration0016RollupServerFailures: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`delete from rollup_watermarks where name in ('request_rollup_hourly', 'request_rollup_daily')`.execute(db);
    await sql`delete from request_rollup_daily`.execute(db);
    await sql`delete from request_rollup_hourly`.execute(db);
  },
  async down(): Promise<void> {},
};
