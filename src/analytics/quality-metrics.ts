import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { completionFailureSql, feedbackScoredRequestsSql, QUALITY_SOURCES, SERVER_FAILURE_STATUS, type QualitySource } from './quality.ts';
import { num, ratio, requestWindowSql, SMALL_SAMPLE } from './request-window.ts';
import { requestCells } from './rollup/request-cells.ts';
import { meanInterval, pearson, roundSig, wilsonInterval } from './stats.ts';

export interface QualityGroup {
  requests: number;
  /** Requests with a quality value (the rest had no signal). */
  rated: number;
  avg_quality: number | null;
  ci95_low: number | null;
  ci95_high: number | null;
  /** Share of requests that completed (status < 400, not cut off or filtered), 0–1, of those the client did not get a 4xx for. */
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
  /** Per model × task type, most requests first (the cells quality issues are judged on). */
  by_model_task_type: ModelTaskQuality[];
  /** Pearson r between a request's quality and its cost over rated requests; null below 3 pairs or without variation. */
  quality_cost_correlation: number | null;
  correlation_sample_size: number;
  completion_rate: number | null;
  completion_rate_ci95: [number, number] | null;
  /** `failed`: gateway or upstream failures (≥ 500); `client_errors` (4xx) are no quality samples and outside the rate's base. */
  completion: { completed: number; truncated: number; content_filtered: number; failed: number; client_errors: number };
  /** People's ratings only (`user` and callers' own labels), as given: the seed's user satisfaction. */
  user_satisfaction: { ratings: number; avg_score: number | null };
}

export type ModelTaskQuality = QualityGroup & { model: string; task_type: string };

/** Sums of one (model, task type, quality source) cell; every figure of the analysis is a sum of these. */
export interface QualityCell {
  model: string;
  taskType: string;
  source: string | null;
  n: number;
  rated: number;
  sq: number;
  sq2: number;
  /** Cost sums over rated requests only, for the correlation. */
  sc: number;
  sc2: number;
  sqc: number;
  completed: number;
  truncated: number;
  filtered: number;
  failed: number;
  /** Requests refused with a client error (4xx): outside the completion rate's base. */
  clientErrors: number;
  /** Rated requests whose quality is below the `lowBelow` given to qualityCells (0 without one). */
  low: number;
}

type Sums = Omit<QualityCell, 'model' | 'taskType' | 'source'>;
const ZERO: Sums = { n: 0, rated: 0, sq: 0, sq2: 0, sc: 0, sc2: 0, sqc: 0, completed: 0, truncated: 0, filtered: 0, failed: 0, clientErrors: 0, low: 0 };

function add(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const k of Object.keys(ZERO) as (keyof Sums)[]) out[k] += b[k];
  return out;
}

const nameOf = (v: unknown) => (typeof v === 'string' ? v : '(none)');

/**
 * Sums per (model, task type, quality source; a NULL model or task type reads `(none)`); every figure of
 * this analysis and the quality of model performance are sums of these.
 *
 * Quality comes from feedback, which arrives after an hour is rolled up, so it is computed in two parts
 * that add up to the scored-requests answer: every request as its own row scores it (quality 0 from
 * the `completion` source when it failed as a task, else unrated) — sums the request rollup holds —
 * and, for the few requests that have feedback, their feedback-derived cell minus that row-only cell,
 * read walking the feedback. Completion counts never depend on feedback and come from the rollup alone.
 */
export async function qualityCells(db: Kysely<Database>, q: AnalysisQuery, lowBelow = 0): Promise<QualityCell[]> {
  const rowFailed = completionFailureSql('sr');
  const [rollup, withFeedback] = await Promise.all([
    requestCells(db, q, q, ['model_used', 'task_type', 'status']),
    sql<Record<string, unknown>>`
      with sr as (${feedbackScoredRequestsSql(q)})
      select sr.model_used as model, sr.task_type, sr.quality_source as source, count(*) as n, count(sr.quality) as rated,
        sum(sr.quality) as sq, sum(sr.quality * sr.quality) as sq2,
        sum(case when sr.quality is not null then sr.cost_usd else 0 end) as sc,
        sum(case when sr.quality is not null then sr.cost_usd * sr.cost_usd else 0 end) as sc2,
        sum(sr.quality * sr.cost_usd) as sqc,
        sum(case when sr.quality < ${lowBelow} then 1 else 0 end) as low,
        sum(case when ${rowFailed} then 1 else 0 end) as cf,
        sum(case when ${rowFailed} then sr.cost_usd else 0 end) as cfc,
        sum(case when ${rowFailed} then sr.cost_usd * sr.cost_usd else 0 end) as cfc2
      from sr group by sr.model_used, sr.task_type, sr.quality_source`.execute(db),
  ]);
  const cells: QualityCell[] = [];
  const cell = (model: string, taskType: string, source: string | null, sums: Partial<Sums>): QualityCell => ({ model, taskType, source, ...ZERO, ...sums });
  /** The cells of n requests as their rows alone score them, cf of them failed as a task (times `sign`). */
  const rowOnly = (model: string, taskType: string, n: number, cf: number, cfc: number, cfc2: number, sign: 1 | -1) => [
    cell(model, taskType, 'completion', { n: sign * cf, rated: sign * cf, sc: sign * cfc, sc2: sign * cfc2, low: 0 < lowBelow ? sign * cf : 0 }),
    cell(model, taskType, null, { n: sign * (n - cf) }),
  ];
  for (const c of rollup) {
    const [model, taskType] = [nameOf(c.model), nameOf(c.taskType)];
    cells.push(...rowOnly(model, taskType, c.requests, c.completionFailed, c.completionFailedCostUsd, c.completionFailedCostUsdSq, 1));
    cells.push(
      cell(model, taskType, null, {
        completed: c.completed,
        truncated: c.truncated,
        filtered: c.contentFiltered,
        failed: c.status >= SERVER_FAILURE_STATUS ? c.requests : 0,
        clientErrors: c.status >= 400 && c.status < SERVER_FAILURE_STATUS ? c.requests : 0,
      }),
    );
  }
  for (const r of withFeedback.rows) {
    const [model, taskType] = [nameOf(r['model']), nameOf(r['task_type'])];
    const n = num(r['n']);
    cells.push(...rowOnly(model, taskType, n, num(r['cf']), num(r['cfc']), num(r['cfc2']), -1));
    cells.push(
      cell(model, taskType, typeof r['source'] === 'string' ? r['source'] : null, {
        n,
        rated: num(r['rated']),
        sq: num(r['sq']),
        sq2: num(r['sq2']),
        sc: num(r['sc']),
        sc2: num(r['sc2']),
        sqc: num(r['sqc']),
        low: num(r['low']),
      }),
    );
  }
  return cells;
}

function sumBy(cells: readonly QualityCell[], keyOf: (c: QualityCell) => string): { name: string; first: QualityCell; sums: Sums }[] {
  const groups = new Map<string, { first: QualityCell; sums: Sums }>();
  for (const c of cells) {
    const key = keyOf(c);
    const g = groups.get(key);
    groups.set(key, { first: g?.first ?? c, sums: add(g?.sums ?? ZERO, c) });
  }
  return [...groups.entries()].map(([name, g]) => ({ name, ...g })).sort((a, b) => b.sums.n - a.sums.n || a.name.localeCompare(b.name));
}

/** Quality per model × task type from the cells (summed over quality sources). */
export function qualityByModelAndTask(cells: readonly QualityCell[]): ModelTaskQuality[] {
  return sumBy(cells, (c) => JSON.stringify([c.model, c.taskType])).map((g) => ({ model: g.first.model, task_type: g.first.taskType, ...groupOf(g.sums) }));
}

export function groupOf(s: Sums): QualityGroup {
  const m = meanInterval(s.rated, s.sq, s.sq2);
  return {
    requests: s.n,
    rated: m.n,
    avg_quality: roundSig(m.mean),
    ci95_low: roundSig(m.ci95_low),
    ci95_high: roundSig(m.ci95_high),
    completion_rate: roundSig(ratio(s.completed, s.n - s.clientErrors)),
  };
}

/** Pearson r of quality and cost from raw sums; variation below 1e-12 of the raw second moment counts as none. */
function correlationOf(s: Sums): number | null {
  const n = s.rated;
  if (n < 3) return null;
  const sxx = s.sc2 - (s.sc * s.sc) / n;
  const syy = s.sq2 - (s.sq * s.sq) / n;
  const sxy = s.sqc - (s.sc * s.sq) / n;
  if (sxx <= 1e-12 * s.sc2 || syy <= 1e-12 * s.sq2) return null;
  return pearson(n, sxy, sxx, syy);
}

/** Average quality by model and task type with 95% intervals, quality–cost correlation, task completion rates. */
export async function qualityMetrics(db: Kysely<Database>, q: AnalysisQuery): Promise<QualityMetrics> {
  const [cells, people] = await Promise.all([
    qualityCells(db, q),
    sql<{ n: unknown; avg: unknown }>`
      select count(*) as n, avg(f.score) as avg from feedback f cross join requests r
      where r.id = f.request_id and ${requestWindowSql(q)} and f.source not in ('judge', 'completion')`.execute(db),
  ]);
  const total = cells.reduce<Sums>((acc, c) => add(acc, c), ZERO);
  const n = total.n;
  const overall = groupOf(total);
  const completionCi = wilsonInterval(total.completed, n - total.clientErrors);
  const quality_sources = Object.fromEntries(QUALITY_SOURCES.map((s) => [s, 0])) as Record<QualitySource, number>;
  for (const c of cells) if (c.source !== null && (QUALITY_SOURCES as readonly string[]).includes(c.source)) quality_sources[c.source as QualitySource] += c.n;
  const correlation = correlationOf(total);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: quality metrics unavailable');
  else if (overall.rated === 0)
    gaps.push('no quality signals in this window: quality metrics unavailable; send POST /v1/feedback or enable quality.judge sampling');
  else if (overall.rated < SMALL_SAMPLE) gaps.push(`only ${overall.rated} requests with a quality signal: confidence intervals are wide`);
  if (overall.rated > 0 && quality_sources.completion === overall.rated) {
    gaps.push('every quality value comes from failed or cut-off completions (scored 0): averages are a floor, not a measurement of answered requests');
  }
  if (n > 0 && overall.rated > 0 && overall.rated < n)
    gaps.push(`${n - overall.rated} of ${n} requests have no quality signal and are left out of quality averages`);
  if (overall.rated >= 3 && correlation === null) gaps.push('quality or cost does not vary across rated requests: quality–cost correlation undefined');
  const peopleN = num(people.rows[0]?.n);
  return {
    sample_size: n,
    data_gaps: gaps,
    rated_requests: overall.rated,
    avg_quality: overall.avg_quality,
    avg_quality_ci95: overall.ci95_low === null || overall.ci95_high === null ? null : [overall.ci95_low, overall.ci95_high],
    quality_sources,
    by_model: sumBy(cells, (c) => c.model).map((g) => ({ model: g.name, ...groupOf(g.sums) })),
    by_task_type: sumBy(cells, (c) => c.taskType).map((g) => ({ task_type: g.name, ...groupOf(g.sums) })),
    by_model_task_type: qualityByModelAndTask(cells),
    quality_cost_correlation: roundSig(correlation, 4),
    correlation_sample_size: total.rated,
    completion_rate: overall.completion_rate,
    completion_rate_ci95: completionCi ? [roundSig(completionCi.low) ?? 0, roundSig(completionCi.high) ?? 0] : null,
    completion: {
      completed: total.completed,
      truncated: total.truncated,
      content_filtered: total.filtered,
      failed: total.failed,
      client_errors: total.clientErrors,
    },
    user_satisfaction: { ratings: peopleN, avg_score: roundSig(peopleN > 0 ? num(people.rows[0]?.avg) : null) },
  };
}
