import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { percentiles, type Percentile, type PercentileValues } from './percentiles.ts';
import { decisionsInWindowSql, num, requestWindowSql } from './request-window.ts';
import { histogramCounts, histogramsServe, type HistogramCounts } from './rollup/histogram-counts.ts';

/**
 * From this many values in the window on, percentiles come from the value histograms (within
 * HISTOGRAM_RELATIVE_ERROR of the exact ones); below it the window's values are sorted, exactly.
 */
const HISTOGRAM_MIN_VALUES = 50_000;

/** Nearest-rank percentiles of a histogram, and the exact mean of its values. */
function histogramPercentiles(h: HistogramCounts, ps: readonly Percentile[]): PercentileValues {
  const out = percentilesOfCounts(h.buckets, ps);
  if (out.n !== undefined) out.mean = h.total / out.n;
  return out;
}

/**
 * Nearest-rank percentiles of the window's request latency, given the number of requests `n` in the
 * window. A small window, or one filtered by key or task type (which the histograms do not keep), sorts
 * its values (exact); a large one reads the latency histograms (rollup/value-histograms.ts): each
 * percentile within 1% of the exact one, with no index ordered by latency to maintain on every write.
 */
export async function requestLatencyPercentiles(
  db: Kysely<Database>,
  q: AnalysisQuery,
  n: number,
  ps: readonly Percentile[],
  minRequestsForHistogram = HISTOGRAM_MIN_VALUES,
): Promise<PercentileValues> {
  if (n < minRequestsForHistogram || n === 0 || !histogramsServe('latency_ms', q)) {
    return percentiles(db, sql`select r.latency_ms as x from requests r where ${requestWindowSql(q)}`, ps);
  }
  return histogramPercentiles(await histogramCounts(db, 'latency_ms', q), ps);
}

/**
 * Nearest-rank percentiles (the same values as `percentiles`) from the distinct values and their counts,
 * for values with few distinct values such as routing decision times: a GROUP BY of the values sorts
 * them once, where the window functions sort and then number every row; the ranks are counted here.
 * `source` selects column `x`.
 */
export async function percentilesFromCounts(db: Kysely<Database>, source: RawBuilder<unknown>, ps: readonly Percentile[]): Promise<PercentileValues> {
  const rows = await sql<{ x: unknown; n: unknown }>`
    select s.x as x, count(*) as n from (${source}) s where s.x is not null group by s.x order by s.x`.execute(db);
  return percentilesOfCounts(
    rows.rows.map((r) => ({ x: num(r.x), n: num(r.n) })),
    ps,
  );
}

/** Nearest-rank percentiles and mean of values given as distinct values with counts, in ascending order. */
export function percentilesOfCounts(values: ReadonlyArray<{ x: number; n: number }>, ps: readonly Percentile[]): PercentileValues {
  const n = values.reduce((s, v) => s + v.n, 0);
  if (n === 0) return {};
  const out: PercentileValues = { n, mean: values.reduce((s, v) => s + v.x * v.n, 0) / n };
  for (const p of ps) {
    // The smallest rank with rank·100 ≥ p·n, in integer arithmetic.
    let rank = Math.floor((p * n + 99) / 100);
    for (const v of values) {
      if (rank <= v.n) {
        out[`p${p}`] = v.x;
        break;
      }
      rank -= v.n;
    }
  }
  return out;
}

/**
 * Nearest-rank percentiles and mean of the routing decision time (decision_us) of the window's routed
 * requests. With key or model filters (which only the request row has) the decisions are joined to their
 * requests and counted per distinct time; `+d.decision_us` keeps SQLite on the join's usual plan. Else
 * the decision-time histograms count the window (rollup/value-histograms.ts): from
 * `minDecisionsForHistogram` decisions on the percentiles come from them (within 1%; the mean is exact),
 * below that the window's decisions are read by creation time and counted per distinct time (exact).
 */
export async function decisionTimePercentiles(
  db: Kysely<Database>,
  q: AnalysisQuery,
  ps: readonly Percentile[],
  minDecisionsForHistogram = HISTOGRAM_MIN_VALUES,
): Promise<PercentileValues> {
  if (!histogramsServe('decision_us', q)) {
    return percentilesFromCounts(db, sql`select +d.decision_us as x from ${decisionsInWindowSql(q)}`, ps);
  }
  const h = await histogramCounts(db, 'decision_us', q);
  const n = h.buckets.reduce((sum, b) => sum + b.n, 0);
  if (n >= minDecisionsForHistogram && n > 0) return histogramPercentiles(h, ps);
  return percentilesFromCounts(db, sql`select d.decision_us as x from decisions d where ${decisionWindowSql(q)}`, ps);
}

/**
 * The window on the decisions alone (a decision carries its request's creation time and task type),
 * served by decisions_created_at_idx. Not for key or model filters, which only the request row has.
 */
export function decisionWindowSql(q: AnalysisQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`d.created_at >= ${q.fromMs}`, sql`d.created_at < ${q.toMs}`];
  if (q.taskTypes.length > 0) parts.push(sql`d.task_type in (${sql.join(q.taskTypes)})`);
  return sql.join(parts, sql` and `);
}
