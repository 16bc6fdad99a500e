import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { DAY_MS, HOUR_MS } from './cell-sql.ts';

/**
 * Histograms of request latency and routing decision time per hour (value_histogram_hourly, migration
 * 0018) and per day (value_histogram_daily): the percentiles of a large window are read from them
 * instead of from indexes ordered by value, which cost a random B-tree leaf per logged row.
 *
 * Buckets are logarithmic: bucket b holds the values in [γ^b, γ^(b+1)) with γ = 1.02, and a percentile
 * falling in it reads as 2·γ^(b+1)/(γ+1), which is within (γ−1)/(γ+1) < 1% of every value of the
 * bucket, so within 1% of the exact nearest-rank percentile. Values ≤ 0 have a bucket of their own
 * that reads as 0. The bucket is computed in SQL (ln) wherever a value is bucketed, by the rollup and
 * for the raw rows at a window's edges alike, so both agree.
 */
const BUCKET_GROWTH = 1.02;

/** The largest relative error of a percentile read from a histogram. */
export const HISTOGRAM_RELATIVE_ERROR = (BUCKET_GROWTH - 1) / (BUCKET_GROWTH + 1);

/** The bucket of values ≤ 0 (and of no value). */
const ZERO_BUCKET = -1_000_000;

const LN_GROWTH = Math.log(BUCKET_GROWTH);

/** What a histogram measures: each metric keeps one grouping dimension besides the hour. */
export const HISTOGRAM_METRICS = {
  /** requests.latency_ms, per model (the analyses filter latency by model). */
  latency_ms: { table: 'requests', alias: 'r', column: 'latency_ms', dim: 'model_used' },
  /** decisions.decision_us, per task type (a decision carries its request's task type). */
  decision_us: { table: 'decisions', alias: 'd', column: 'decision_us', dim: 'task_type' },
} as const;
export type HistogramMetric = keyof typeof HISTOGRAM_METRICS;

/** SQL for the bucket of `value`: floor(ln(value) / ln γ), the same expression on SQLite and PostgreSQL. */
function bucketSql(value: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`case when ${value} > 0 then cast(floor(ln(${value}) / ${sql.lit(LN_GROWTH)}) as integer) else ${sql.lit(ZERO_BUCKET)} end`;
}

/** The value a percentile in bucket `b` reads as. */
export function bucketValue(b: number): number {
  return b === ZERO_BUCKET ? 0 : (2 * BUCKET_GROWTH ** (b + 1)) / (BUCKET_GROWTH + 1);
}

/**
 * The histogram rows of `metric` for the rows created in [fromMs, toMs) that match `where` (on the
 * metric's table alias), one per hour, dimension value and bucket, in value_histogram_hourly's columns.
 */
export function histogramSelectSql(metric: HistogramMetric, range: { fromMs: number; toMs: number }, where: RawBuilder<unknown> = sql`1 = 1`) {
  const m = HISTOGRAM_METRICS[metric];
  const col = (name: string) => sql.ref(`${m.alias}.${name}`);
  const hour = sql`(${col('created_at')} / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`;
  const bucket = bucketSql(col(m.column));
  const model = m.dim === 'model_used' ? col('model_used') : sql`null`;
  const task = m.dim === 'task_type' ? col('task_type') : sql`null`;
  return sql`
    select ${hour} as hour_ms, ${sql.lit(metric)} as metric, ${model} as model_used, ${task} as task_type, ${bucket} as bucket,
      count(*) as n, sum(${col(m.column)}) as total
    from ${sql.table(m.table)} ${sql.raw(m.alias)}
    where ${col('created_at')} >= ${range.fromMs} and ${col('created_at')} < ${range.toMs} and ${where}
    group by ${hour}, ${m.dim === 'model_used' ? model : task}, ${bucket}`;
}

const HISTOGRAM_COLUMNS = sql`hour_ms, metric, model_used, task_type, bucket, n, total`;

/** Inserts the hourly histograms of every metric for [fromMs, toMs) (whole hours). */
export async function rollUpHistogramHours(db: Kysely<Database>, fromMs: number, toMs: number): Promise<void> {
  for (const metric of Object.keys(HISTOGRAM_METRICS) as HistogramMetric[]) {
    await sql`insert into value_histogram_hourly (${HISTOGRAM_COLUMNS}) ${histogramSelectSql(metric, { fromMs, toMs })}`.execute(db);
  }
}

/** Inserts the daily histograms of the whole days in [fromMs, toMs), summed from the hourly ones. */
export async function rollUpHistogramDays(db: Kysely<Database>, fromMs: number, toMs: number): Promise<void> {
  const day = sql`(hour_ms / ${sql.lit(DAY_MS)}) * ${sql.lit(DAY_MS)}`;
  await sql`
    insert into value_histogram_daily (${HISTOGRAM_COLUMNS})
    select ${day}, metric, model_used, task_type, bucket, sum(n), sum(total) from value_histogram_hourly
    where hour_ms >= ${fromMs} and hour_ms < ${toMs}
    group by ${day}, metric, model_used, task_type, bucket`.execute(db);
}
