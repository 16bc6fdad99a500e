import { sql, type RawBuilder } from 'kysely';
import type { AnalysisQuery } from './analysis-query.ts';
import { requestWindowSql } from './request-window.ts';

/**
 * How a request's quality (0–1) is derived from its signals, as SQL every analysis reuses.
 *
 * 1. Explicit signals in `feedback`, by precedence of who gave them: people (`user` and every caller
 *    label) over the `judge` over a stored `completion` row. Several signals of the best-ranked kind
 *    are averaged (thumbs are stored as 1 / 0). This is the order of src/analytics/recommend/request-quality.ts.
 * 2. Without any feedback row, the request row's own completion signal: a failure of the gateway or the
 *    upstream (status ≥ 500) or a finish reason of `length` or `content_filter` means the task was not
 *    completed: quality 0. A client error (4xx: a malformed request, a wrong key, a budget or rate
 *    limit, 499 the client left) never reached a model's answer and says nothing about its quality:
 *    it is no quality sample at all.
 * 3. Otherwise quality is unknown (NULL): the request is left out of quality averages and counted as
 *    unrated. A normal `stop` is not evidence of a good answer, so it does not count as one.
 */
export const QUALITY_SOURCES = ['user', 'judge', 'completion'] as const;
export type QualitySource = (typeof QUALITY_SOURCES)[number];

/** The finish reasons that mean the answer was cut off or withheld. */
export const INCOMPLETE_FINISH_REASONS = ['length', 'content_filter'] as const;

/** The lowest status of a gateway or upstream failure; below it (4xx) the client's request was refused. */
export const SERVER_FAILURE_STATUS = 500;

/** SQL true when the request row itself shows the task was not completed (a server failure or a cut-off answer). */
export function completionFailureSql(alias = 'r'): RawBuilder<unknown> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  return sql`(${col('status')} >= ${sql.lit(SERVER_FAILURE_STATUS)} or (${col('status')} < 400 and ${col('finish_reason')} in (${sql.join([...INCOMPLETE_FINISH_REASONS])})))`;
}

/** SQL true when the request completed as a task: answered (status < 400), not cut off or filtered. */
export function completedSql(alias = 'r'): RawBuilder<unknown> {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  return sql`(${col('status')} < 400 and coalesce(${col('finish_reason')}, '') not in (${sql.join([...INCOMPLETE_FINISH_REASONS])}))`;
}

/** Feedback sources ranked below people: everything else (`user`, caller labels) ranks first. */
const JUDGE = 'judge';
const COMPLETION = 'completion';

/**
 * The window's requests, one row each, with the columns the analyses read plus
 * `quality` (0–1 or NULL) and `quality_source` ('user' | 'judge' | 'completion' or NULL).
 * Use as a CTE: `with sr as (${scoredRequestsSql(q)}) select … from sr`.
 *
 * The feedback of the window's requests is summed per request and rank in one GROUP BY (sum and count of
 * people's, the judge's and completion scores); the best rank present wins — coalesce(people, judge,
 * completion) — so no window function or second pass is needed.
 *
 * `cross join … where rf.id = f.request_id` is the inner join written so that SQLite (which keeps the
 * order of a CROSS JOIN) walks the feedback, a small fraction of the requests, and looks each request
 * up by id (an index-only probe, migration 0003) instead of probing the feedback once per request of
 * the window; on PostgreSQL it is the same inner join and the planner orders it as it likes.
 */
export function scoredRequestsSql(q: AnalysisQuery, range: { fromMs: number; toMs: number } = q): RawBuilder<unknown> {
  return sql`${scoredColumnsSql()} from requests r left join (${feedbackPerRequestSql(q, range)}) e on e.request_id = r.id where ${requestWindowSql(q, 'r', range)}`;
}

/**
 * Like scoredRequestsSql, but only the window's requests that have feedback, walked from the feedback
 * (a small share of the requests), and only the columns the quality cells read (model_used, task_type,
 * cost_usd, status, finish_reason, quality, quality_source): what the request rollup cannot hold,
 * because feedback arrives after the hour is rolled up (see quality-metrics.ts). Each request's columns
 * are carried through the feedback's GROUP BY (they depend on the request id alone), so the request is
 * read once, from requests_id_outcome_idx (migration 0006), never from its table row.
 */
export function feedbackScoredRequestsSql(q: AnalysisQuery): RawBuilder<unknown> {
  const carried = ['model_used', 'task_type', 'cost_usd', 'status', 'finish_reason'].map((c) => sql.ref(`rf.${c}`));
  const failed = completionFailureSql('e');
  return sql`
    select e.model_used, e.task_type, e.cost_usd, e.status, e.finish_reason,
      ${qualitySql(failed)} as quality, ${qualitySourceSql(failed)} as quality_source
    from (${feedbackSumsSql(q, q, sql.join(carried), sql.join([sql`f.request_id`, ...carried]))}) e`;
}

function scoredColumnsSql(): RawBuilder<unknown> {
  const failed = completionFailureSql('r');
  return sql`
    select r.id, r.created_at, r.key_id, r.team, r.model_used, r.task_type, r.status, r.error_type, r.finish_reason,
      r.cost_usd, r.latency_ms, r.input_tokens, r.cache_hit, r.cache_saved_usd,
      ${qualitySql(failed)} as quality, ${qualitySourceSql(failed)} as quality_source`;
}

/** A request's quality: the best-ranked signal present (people, judge, completion), else 0 if it failed as a task. */
function qualitySql(failed: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`coalesce(e.people / e.people_n, e.judge / e.judge_n, e.completion / e.completion_n, case when ${failed} then 0.0 end)`;
}

function qualitySourceSql(failed: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`case
        when e.people_n > 0 then 'user'
        when e.judge_n > 0 then 'judge'
        when e.completion_n > 0 or ${failed} then 'completion'
      end`;
}

/** Sums and counts of each request's feedback by rank (people, judge, completion), for the window's requests. */
function feedbackPerRequestSql(q: AnalysisQuery, range: { fromMs: number; toMs: number }): RawBuilder<unknown> {
  return feedbackSumsSql(q, range, sql`f.request_id`, sql`f.request_id`);
}

/** The feedback of the window's requests `rf`, grouped by `groupBy`, with `columns` and the per-rank sums and counts. */
function feedbackSumsSql(
  q: AnalysisQuery,
  range: { fromMs: number; toMs: number },
  columns: RawBuilder<unknown>,
  groupBy: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const people = sql`f.source not in (${JUDGE}, ${COMPLETION})`;
  return sql`
      select ${columns},
        sum(case when ${people} then f.score end) as people, sum(case when ${people} then 1 end) as people_n,
        sum(case when f.source = ${JUDGE} then f.score end) as judge, sum(case when f.source = ${JUDGE} then 1 end) as judge_n,
        sum(case when f.source = ${COMPLETION} then f.score end) as completion, sum(case when f.source = ${COMPLETION} then 1 end) as completion_n
      from feedback f cross join requests rf
      where rf.id = f.request_id and ${requestWindowSql(q, 'rf', range)}
      group by ${groupBy}`;
}
