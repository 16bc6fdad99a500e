import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { num } from '../request-window.ts';
import { CELL_COLUMNS, CELL_DIMS, cellSelectSql, DAY_MS, floorTo, HOUR_MS, SUMMED_COLUMNS } from './cell-sql.ts';
import { rollUpHistogramDays, rollUpHistogramHours } from './value-histograms.ts';

/** The watermark rows of the rollup tables in rollup_watermarks (named after their tables). */
export const REQUEST_ROLLUP = 'request_rollup_hourly';
export const DAILY_ROLLUP = 'request_rollup_daily';
const HISTOGRAM_HOURLY = 'value_histogram_hourly';
const HISTOGRAM_DAILY = 'value_histogram_daily';
type RollupName = typeof REQUEST_ROLLUP | typeof DAILY_ROLLUP | typeof HISTOGRAM_HOURLY | typeof HISTOGRAM_DAILY;

/** An hourly rollup and the daily one summed from it, under their watermark names. */
interface RollupPair {
  hourly: RollupName;
  daily: RollupName;
}
const REQUEST_ROLLUPS: RollupPair = { hourly: REQUEST_ROLLUP, daily: DAILY_ROLLUP };
/** The value histograms (value-histograms.ts): rolled up on watermarks of their own. */
export const HISTOGRAM_ROLLUPS: RollupPair = { hourly: HISTOGRAM_HOURLY, daily: HISTOGRAM_DAILY };

/**
 * An hour is rolled up only once it ended this long ago. The batched writer flushes every 200 ms and
 * retries a failing batch for at most 10 s between attempts, so rows of an hour reach the database well
 * within this margin; a row written later than that to an already rolled-up hour (an import of old
 * history) is not in the rollup until `rebuildRollups` runs.
 */
export const ROLLUP_SETTLE_MS = 10 * 60_000;

/** Epoch ms before which every hour (every day, for the daily rollup) is rolled up; null before the first rollup. */
export async function rollupThroughMs(db: Kysely<Database>, name: RollupName = REQUEST_ROLLUP): Promise<number | null> {
  const row = await sql<{ through_ms: unknown }>`select through_ms from rollup_watermarks where name = ${name}`.execute(db);
  return row.rows[0] ? num(row.rows[0].through_ms) : null;
}

/** Both watermarks of a pair in one read, for an analysis that composes a window from both tables. */
export async function rollupWatermarks(
  db: Kysely<Database>,
  pair: RollupPair = REQUEST_ROLLUPS,
): Promise<{ hourlyThroughMs: number | null; dailyThroughMs: number | null }> {
  const rows = await sql<{
    name: string;
    through_ms: unknown;
  }>`select name, through_ms from rollup_watermarks where name in (${pair.hourly}, ${pair.daily})`.execute(db);
  const of = (name: RollupName) => {
    const row = rows.rows.find((r) => r.name === name);
    return row ? num(row.through_ms) : null;
  };
  return { hourlyThroughMs: of(pair.hourly), dailyThroughMs: of(pair.daily) };
}

const columnList = () => sql.join(CELL_COLUMNS.map((c) => sql.ref(c)));

/** Inserts the hourly rollup rows of the requests created in [fromMs, toMs) (whole hours). */
function rollUpHours(db: Kysely<Database>, fromMs: number, toMs: number) {
  return sql`
    insert into request_rollup_hourly (${columnList()})
    ${cellSelectSql(sql`r.created_at >= ${fromMs} and r.created_at < ${toMs}`)}`.execute(db);
}

/** Inserts the daily rollup rows of the whole days in [fromMs, toMs), summed from the hourly rollup. */
function rollUpDays(db: Kysely<Database>, fromMs: number, toMs: number) {
  const dims = CELL_DIMS.filter((c) => c !== 'hour_ms').map((c) => sql.ref(c));
  const day = sql`(hour_ms / ${sql.lit(DAY_MS)}) * ${sql.lit(DAY_MS)}`;
  const sums = SUMMED_COLUMNS.map((c) => sql`sum(${sql.ref(c)})`);
  return sql`
    insert into request_rollup_daily (${columnList()})
    select ${day}, ${sql.join(dims)}, ${sql.join(sums)} from request_rollup_hourly
    where hour_ms >= ${fromMs} and hour_ms < ${toMs}
    group by ${day}, ${sql.join(dims)}`.execute(db);
}

/**
 * Moves rollup `name` from its watermark up to `limitMs` in steps of at most `stepMs`, one transaction
 * each so a first rollup of a long history never holds the write lock for long. Each step moves the
 * watermark only from the value it read, and a step that lost the race rolls back its rows.
 */
async function advance(
  db: Kysely<Database>,
  name: RollupName,
  startMs: () => Promise<number | null>,
  limitMs: number,
  stepMs: number,
  rollUp: (tx: Kysely<Database>, fromMs: number, toMs: number) => Promise<unknown>,
): Promise<number | null> {
  let through = await rollupThroughMs(db, name);
  if (through === null) {
    const first = await startMs();
    if (first === null) return null;
    await sql`insert into rollup_watermarks (name, through_ms) values (${name}, ${Math.min(limitMs, first)}) on conflict (name) do nothing`.execute(db);
    through = (await rollupThroughMs(db, name)) ?? first;
  }
  while (through < limitMs) {
    const from = through;
    const to = Math.min(limitMs, from + stepMs);
    const moved = await db.transaction().execute(async (tx) => {
      const claimed = await sql`update rollup_watermarks set through_ms = ${to} where name = ${name} and through_ms = ${from}`.execute(tx);
      if (Number(claimed.numAffectedRows ?? 0) !== 1) return false;
      await rollUp(tx, from, to);
      return true;
    });
    if (!moved) return rollupThroughMs(db, name);
    through = to;
  }
  return through;
}

/** The smallest `column` of `table`, rounded down to `unitMs`; null for an empty table. */
async function firstMs(
  db: Kysely<Database>,
  table: 'requests' | 'request_rollup_hourly' | 'value_histogram_hourly',
  column: 'created_at' | 'hour_ms',
  unitMs: number,
): Promise<number | null> {
  const first = await sql<{ m: unknown }>`select min(${sql.ref(column)}) as m from ${sql.table(table)}`.execute(db);
  const minMs = first.rows[0]?.m;
  return minMs === null || minMs === undefined ? null : floorTo(num(minMs), unitMs);
}

/**
 * Rolls up the complete hours (ended ROLLUP_SETTLE_MS before `nowMs`) not rolled up yet, a day per
 * transaction, then the whole days the hourly rollup covers into the daily one; the same for the value
 * histograms. Idempotent and safe to run concurrently. Returns the hourly watermark of the request
 * rollup (null while the log is empty).
 */
export async function refreshRollups(db: Kysely<Database>, nowMs: number): Promise<number | null> {
  const limitMs = floorTo(nowMs - ROLLUP_SETTLE_MS, HOUR_MS);
  const firstRequestHour = () => firstMs(db, 'requests', 'created_at', HOUR_MS);
  const hourly = await advance(db, REQUEST_ROLLUP, firstRequestHour, limitMs, DAY_MS, rollUpHours);
  if (hourly === null) return null;
  await advance(db, DAILY_ROLLUP, () => firstMs(db, 'request_rollup_hourly', 'hour_ms', DAY_MS), floorTo(hourly, DAY_MS), 31 * DAY_MS, rollUpDays);
  const histogramHourly = await advance(db, HISTOGRAM_HOURLY, firstRequestHour, limitMs, DAY_MS, rollUpHistogramHours);
  if (histogramHourly !== null) {
    const firstHistogramDay = () => firstMs(db, 'value_histogram_hourly', 'hour_ms', DAY_MS);
    await advance(db, HISTOGRAM_DAILY, firstHistogramDay, floorTo(histogramHourly, DAY_MS), 31 * DAY_MS, rollUpHistogramDays);
  }
  return hourly;
}

/** Drops the rollups so the next refresh rebuilds them from the log (after importing old history). */
export async function rebuildRollups(db: Kysely<Database>, nowMs: number): Promise<number | null> {
  await db.transaction().execute(async (tx) => {
    await sql`delete from rollup_watermarks where name in (${REQUEST_ROLLUP}, ${DAILY_ROLLUP}, ${HISTOGRAM_HOURLY}, ${HISTOGRAM_DAILY})`.execute(tx);
    for (const table of [DAILY_ROLLUP, REQUEST_ROLLUP, HISTOGRAM_DAILY, HISTOGRAM_HOURLY]) await sql`delete from ${sql.table(table)}`.execute(tx);
  });
  return refreshRollups(db, nowMs);
}
