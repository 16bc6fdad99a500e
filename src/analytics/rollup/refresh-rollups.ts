import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { num } from '../request-window.ts';
import { CELL_COLUMNS, cellSelectSql, HOUR_MS } from './cell-sql.ts';

const DAY_MS = 86_400_000;
/** The watermark row of request_rollup_hourly in rollup_watermarks. */
export const REQUEST_ROLLUP = 'request_rollup_hourly';

/**
 * An hour is rolled up only once it ended this long ago. The batched writer flushes every 200 ms and
 * retries a failing batch for at most 10 s between attempts, so rows of an hour reach the database well
 * within this margin; a row written later than that to an already rolled-up hour (an import of old
 * history) is not in the rollup until `rebuildRollups` runs.
 */
export const ROLLUP_SETTLE_MS = 10 * 60_000;

/** Epoch ms before which every hour is in request_rollup_hourly; null before the first rollup. */
export async function rollupThroughMs(db: Kysely<Database>): Promise<number | null> {
  const row = await sql<{ through_ms: unknown }>`select through_ms from rollup_watermarks where name = ${REQUEST_ROLLUP}`.execute(db);
  return row.rows[0] ? num(row.rows[0].through_ms) : null;
}

/** Inserts the rollup rows of the requests created in [fromMs, toMs) (whole hours). */
function rollUpRange(db: Kysely<Database>, fromMs: number, toMs: number) {
  return sql`
    insert into request_rollup_hourly (${sql.join(CELL_COLUMNS.map((c) => sql.ref(c)))})
    ${cellSelectSql(sql`r.created_at >= ${fromMs} and r.created_at < ${toMs}`)}`.execute(db);
}

/**
 * Rolls up the complete hours (ended ROLLUP_SETTLE_MS before `nowMs`) not rolled up yet, a day per
 * transaction so a first rollup of a long history never holds the write lock for long. Idempotent and
 * safe to run concurrently: each step moves the watermark only from the value it read, and a step that
 * lost the race rolls back its rows. Returns the new watermark (null while the log is empty).
 */
export async function refreshRollups(db: Kysely<Database>, nowMs: number): Promise<number | null> {
  const limitMs = Math.floor((nowMs - ROLLUP_SETTLE_MS) / HOUR_MS) * HOUR_MS;
  let through = await rollupThroughMs(db);
  if (through === null) {
    const first = await sql<{ m: unknown }>`select min(created_at) as m from requests`.execute(db);
    const minMs = first.rows[0]?.m;
    if (minMs === null || minMs === undefined) return null;
    through = Math.min(limitMs, Math.floor(num(minMs) / HOUR_MS) * HOUR_MS);
    await sql`insert into rollup_watermarks (name, through_ms) values (${REQUEST_ROLLUP}, ${through}) on conflict (name) do nothing`.execute(db);
    through = (await rollupThroughMs(db)) ?? through;
  }
  while (through < limitMs) {
    const from = through;
    const to = Math.min(limitMs, from + DAY_MS);
    const moved = await db.transaction().execute(async (tx) => {
      const claimed = await sql`update rollup_watermarks set through_ms = ${to} where name = ${REQUEST_ROLLUP} and through_ms = ${from}`.execute(tx);
      if (Number(claimed.numAffectedRows ?? 0) !== 1) return false;
      await rollUpRange(tx, from, to);
      return true;
    });
    if (!moved) return rollupThroughMs(db);
    through = to;
  }
  return through;
}

/** Drops the rollups so the next refresh rebuilds them from the log (after importing old history). */
export async function rebuildRollups(db: Kysely<Database>, nowMs: number): Promise<number | null> {
  await db.transaction().execute(async (tx) => {
    await sql`delete from rollup_watermarks where name = ${REQUEST_ROLLUP}`.execute(tx);
    await sql`delete from request_rollup_hourly`.execute(tx);
  });
  return refreshRollups(db, nowMs);
}
