import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { AnalysisQuery } from '../analysis-query.ts';
import { num } from '../request-window.ts';
import { HISTOGRAM_ROLLUPS, rollupWatermarks } from './refresh-rollups.ts';
import { bucketValue, HISTOGRAM_METRICS, histogramSelectSql, type HistogramMetric } from './value-histograms.ts';
import { windowSegments, type WindowSegment } from './window-segments.ts';

export interface HistogramCounts {
  /** Each bucket's value (what a percentile in it reads as) and count, in ascending order. */
  buckets: { x: number; n: number }[];
  /** The exact sum of the values counted. */
  total: number;
}

/** The filter of `q` that `metric`'s histograms keep: models for latency, task types for decision time. */
function dimValues(metric: HistogramMetric, q: AnalysisQuery): readonly string[] {
  return HISTOGRAM_METRICS[metric].dim === 'model_used' ? q.models : q.taskTypes;
}

/** Whether the histograms of `metric` can answer `q`: they keep no other filter than their dimension. */
export function histogramsServe(metric: HistogramMetric, q: AnalysisQuery): boolean {
  const other = HISTOGRAM_METRICS[metric].dim === 'model_used' ? [q.taskTypes, q.keyIds] : [q.models, q.keyIds];
  return other.every((f) => f.length === 0);
}

function segmentSql(metric: HistogramMetric, q: AnalysisQuery, s: WindowSegment): RawBuilder<unknown> {
  const m = HISTOGRAM_METRICS[metric];
  const values = dimValues(metric, q);
  if (s.source === 'raw') {
    const where = values.length > 0 ? sql`${sql.ref(`${m.alias}.${m.dim}`)} in (${sql.join(values)})` : sql`1 = 1`;
    return sql`select bucket, n, total from (${histogramSelectSql(metric, s, where)}) e`;
  }
  const table = sql.table(s.source === 'daily' ? 'value_histogram_daily' : 'value_histogram_hourly');
  const dim = values.length > 0 ? sql`and ${sql.ref(m.dim)} in (${sql.join(values)})` : sql``;
  return sql`select bucket, n, total from ${table} where metric = ${metric} and hour_ms >= ${s.fromMs} and hour_ms < ${s.toMs} ${dim}`;
}

/**
 * The histogram of `metric` over the window of `q` (which `histogramsServe`): whole days from
 * value_histogram_daily, whole hours from value_histogram_hourly and the rest from the raw rows bucketed
 * the same way, summed per bucket in SQL.
 */
export async function histogramCounts(db: Kysely<Database>, metric: HistogramMetric, q: AnalysisQuery): Promise<HistogramCounts> {
  const coverage = await rollupWatermarks(db, HISTOGRAM_ROLLUPS);
  const segments = windowSegments(q, coverage, true);
  if (segments.length === 0) return { buckets: [], total: 0 };
  const rows = await sql<{ bucket: unknown; n: unknown; total: unknown }>`
    select h.bucket as bucket, sum(h.n) as n, sum(h.total) as total
    from (${sql.join(
      segments.map((s) => segmentSql(metric, q, s)),
      sql` union all `,
    )}) h
    group by h.bucket order by h.bucket`.execute(db);
  let total = 0;
  const buckets = rows.rows.map((r) => {
    total += num(r.total);
    return { x: bucketValue(num(r.bucket)), n: num(r.n) };
  });
  return { buckets, total };
}
