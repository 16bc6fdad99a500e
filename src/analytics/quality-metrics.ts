import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { INCOMPLETE_FINISH_REASONS, QUALITY_SOURCES, scoredRequestsSql, type QualitySource } from './quality.ts';
import { num, ratio, requestWindowSql, SMALL_SAMPLE } from './request-window.ts';
import { meanInterval, pearson, roundSig, wilsonInterval } from './stats.ts';

export interface QualityGroup {
  requests: number;
  /** Requests with a quality value (the rest had no signal). */
  rated: number;
  avg_quality: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
  /** Share of requests that completed (status < 400, not cut off or filtered), 0–1. */
  completion_rate: number | null;
}

export interface QualityMetrics {
  sample_size: number;
  data_gaps: string[];
  rated_requests: number;
  avg_quality: number | null;
  avg_quality_ci95: [number, number] | null;
  /** How many requests' quality came from each kind of signal (see quality.ts for the precedence). */
  quality_sources: Record<QualitySource, number>;
  by_model: (QualityGroup & { model: string })[];
  by_task_type: (QualityGroup & { task_type: string })[];
  /** Pearson r between a request's quality and its cost over rated requests; null below 3 pairs or without variation. */
  quality_cost_correlation: number | null;
  correlation_sample_size: number;
  completion_rate: number | null;
  completion_rate_ci95: [number, number] | null;
  completion: { completed: number; truncated: number; content_filtered: number; failed: number };
  /** People's ratings only (`user` and callers' own labels), as given: the seed's user satisfaction. */
  user_satisfaction: { ratings: number; avg_score: number | null };
}

const COMPLETED_SQL = sql`(sr.status < 400 and coalesce(sr.finish_reason, '') not in (${sql.join([...INCOMPLETE_FINISH_REASONS])}))`;

interface GroupRow {
  name: string | null;
  n: unknown;
  rated: unknown;
  sq: unknown;
  sq2: unknown;
  completed: unknown;
}

async function qualityBy(db: Kysely<Database>, q: AnalysisQuery, column: 'model_used' | 'task_type'): Promise<(QualityGroup & { name: string })[]> {
  const col = sql.ref(`sr.${column}`);
  const rows = await sql<GroupRow>`
    with sr as (${scoredRequestsSql(q)})
    select ${col} as name, count(*) as n, count(sr.quality) as rated, sum(sr.quality) as sq, sum(sr.quality * sr.quality) as sq2,
      sum(case when ${COMPLETED_SQL} then 1 else 0 end) as completed
    from sr group by ${col} order by count(*) desc, ${col}`.execute(db);
  return rows.rows.map((r) => ({ name: r.name ?? '(none)', ...groupOf(r) }));
}

export function groupOf(r: Omit<GroupRow, 'name'>): QualityGroup {
  const m = meanInterval(num(r.rated), num(r.sq), num(r.sq2));
  return {
    requests: num(r.n),
    rated: m.n,
    avg_quality: roundSig(m.mean),
    ci95_low: roundSig(m.ci95_low),
    ci95_high: roundSig(m.ci95_high),
    completion_rate: roundSig(ratio(num(r.completed), num(r.n))),
  };
}

function correlationSql(q: AnalysisQuery): RawBuilder<{ n: unknown; sxy: unknown; sxx: unknown; syy: unknown }> {
  // Centred sums (two passes through a CTE) rather than raw sums of products: costs are tiny numbers.
  return sql`
    with sr as (${scoredRequestsSql(q)}),
    rated as (select sr.quality as y, sr.cost_usd as x from sr where sr.quality is not null),
    m as (select avg(x) as mx, avg(y) as my from rated)
    select count(*) as n, sum((x - m.mx) * (y - m.my)) as sxy, sum((x - m.mx) * (x - m.mx)) as sxx, sum((y - m.my) * (y - m.my)) as syy
    from rated cross join m`;
}

/** Average quality by model and task type with 95% intervals, quality–cost correlation, task completion rates. */
export async function qualityMetrics(db: Kysely<Database>, q: AnalysisQuery): Promise<QualityMetrics> {
  const [totals, sources, byModel, byTask, corr, people] = await Promise.all([
    sql<GroupRow & { truncated: unknown; filtered: unknown; failed: unknown }>`
      with sr as (${scoredRequestsSql(q)})
      select count(*) as n, count(sr.quality) as rated, sum(sr.quality) as sq, sum(sr.quality * sr.quality) as sq2,
        sum(case when ${COMPLETED_SQL} then 1 else 0 end) as completed,
        sum(case when sr.status < 400 and sr.finish_reason = 'length' then 1 else 0 end) as truncated,
        sum(case when sr.status < 400 and sr.finish_reason = 'content_filter' then 1 else 0 end) as filtered,
        sum(case when sr.status >= 400 then 1 else 0 end) as failed
      from sr`.execute(db),
    sql<{ source: string; n: unknown }>`
      with sr as (${scoredRequestsSql(q)}) select sr.quality_source as source, count(*) as n from sr where sr.quality_source is not null group by sr.quality_source`.execute(db),
    qualityBy(db, q, 'model_used'),
    qualityBy(db, q, 'task_type'),
    correlationSql(q).execute(db),
    sql<{ n: unknown; avg: unknown }>`
      select count(*) as n, avg(f.score) as avg from feedback f join requests r on r.id = f.request_id
      where ${requestWindowSql(q)} and f.source not in ('judge', 'completion')`.execute(db),
  ]);
  const t = totals.rows[0];
  const n = num(t?.n);
  const overall = groupOf(t ?? { n: 0, rated: 0, sq: 0, sq2: 0, completed: 0 });
  const completed = num(t?.completed);
  const c = corr.rows[0];
  const corrN = num(c?.n);
  const completionCi = wilsonInterval(completed, n);
  const quality_sources = Object.fromEntries(QUALITY_SOURCES.map((s) => [s, 0])) as Record<QualitySource, number>;
  for (const s of sources.rows) if ((QUALITY_SOURCES as readonly string[]).includes(s.source)) quality_sources[s.source as QualitySource] = num(s.n);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: quality metrics unavailable');
  else if (overall.rated === 0) gaps.push('no quality signals in this window: quality metrics unavailable; send POST /v1/feedback or enable quality.judge sampling');
  else if (overall.rated < SMALL_SAMPLE) gaps.push(`only ${overall.rated} requests with a quality signal: confidence intervals are wide`);
  if (overall.rated > 0 && quality_sources.completion === overall.rated) {
    gaps.push('every quality value comes from failed or cut-off completions (scored 0): averages are a floor, not a measurement of answered requests');
  }
  if (n > 0 && overall.rated > 0 && overall.rated < n) gaps.push(`${n - overall.rated} of ${n} requests have no quality signal and are left out of quality averages`);
  if (overall.rated > 0 && corrN >= 3 && correlationOf(c) === null) gaps.push('quality or cost does not vary across rated requests: quality–cost correlation undefined');
  return {
    sample_size: n,
    data_gaps: gaps,
    rated_requests: overall.rated,
    avg_quality: overall.avg_quality,
    avg_quality_ci95: overall.ci95_low === null || overall.ci95_high === null ? null : [overall.ci95_low, overall.ci95_high],
    quality_sources,
    by_model: byModel.map(({ name, ...g }) => ({ model: name, ...g })),
    by_task_type: byTask.map(({ name, ...g }) => ({ task_type: name, ...g })),
    quality_cost_correlation: roundSig(correlationOf(c), 4),
    correlation_sample_size: corrN,
    completion_rate: roundSig(ratio(completed, n)),
    completion_rate_ci95: completionCi ? [roundSig(completionCi.low) ?? 0, roundSig(completionCi.high) ?? 0] : null,
    completion: { completed, truncated: num(t?.truncated), content_filtered: num(t?.filtered), failed: num(t?.failed) },
    user_satisfaction: { ratings: num(people.rows[0]?.n), avg_score: roundSig(num(people.rows[0]?.n) > 0 ? num(people.rows[0]?.avg) : null) },
  };
}

function correlationOf(c: { n: unknown; sxy: unknown; sxx: unknown; syy: unknown } | undefined): number | null {
  return c ? pearson(num(c.n), num(c.sxy), num(c.sxx), num(c.syy)) : null;
}
