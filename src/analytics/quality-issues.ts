import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { scoredRequestsSql } from './quality.ts';
import { qualityByModelAndTask, qualityCells, type ModelTaskQuality } from './quality-metrics.ts';
import { isoOf, num } from './request-window.ts';

export const QualityIssuesOptions = z.object({
  threshold: z.coerce.number().min(0).max(1).default(0.8).describe('Quality below this is an issue (0–1)'),
  min_samples: z.coerce.number().int().positive().default(10).describe('Fewest rated requests for a model × task type cell to be judged'),
  limit: z.coerce.number().int().min(0).max(1000).default(20).describe('Most low-scoring requests listed (0: count them, list none)'),
});
export type QualityIssuesOptions = z.input<typeof QualityIssuesOptions>;

export interface QualityIssueCell {
  model: string;
  task_type: string;
  rated: number;
  avg_quality: number;
  ci95_low: number | null;
  ci95_high: number | null;
  /** The whole 95% interval lies below the threshold: not explained by chance. */
  significant: boolean;
}

export interface QualityIssues {
  sample_size: number;
  data_gaps: string[];
  threshold: number;
  min_samples: number;
  /** Model × task type cells below the threshold with enough rated requests, worst first. */
  cells: QualityIssueCell[];
  /** Cells below the threshold with too few ratings to judge (listed, not counted as issues). */
  unconfirmed_cells: { model: string; task_type: string; rated: number; avg_quality: number }[];
  low_score_count: number;
  low_score_requests: {
    request_id: string;
    created_at: string;
    model: string | null;
    task_type: string | null;
    quality: number;
    quality_source: string;
    status: number;
    finish_reason: string | null;
  }[];
}

/**
 * The cells averaging below `threshold`, worst first: judged when they have `minSamples` ratings or more
 * (significant when the whole 95% interval lies below), else listed as unconfirmed.
 */
export function cellsBelowThreshold(
  cells: readonly ModelTaskQuality[],
  threshold: number,
  minSamples: number,
): Pick<QualityIssues, 'cells' | 'unconfirmed_cells'> {
  const judged: QualityIssueCell[] = [];
  const unconfirmed: QualityIssues['unconfirmed_cells'] = [];
  for (const c of cells) {
    if (c.rated === 0 || c.avg_quality === null || c.avg_quality >= threshold) continue;
    const base = { model: c.model, task_type: c.task_type, rated: c.rated, avg_quality: c.avg_quality };
    if (c.rated < minSamples) unconfirmed.push(base);
    else judged.push({ ...base, ci95_low: c.ci95_low, ci95_high: c.ci95_high, significant: c.ci95_high !== null && c.ci95_high < threshold });
  }
  judged.sort((a, b) => a.avg_quality - b.avg_quality || b.rated - a.rated);
  unconfirmed.sort((a, b) => a.avg_quality - b.avg_quality);
  return { cells: judged, unconfirmed_cells: unconfirmed };
}

type LowScoreRow = {
  id: string;
  created_at: unknown;
  model_used: string | null;
  task_type: string | null;
  quality: unknown;
  quality_source: string;
  status: unknown;
  finish_reason: string | null;
};

/** The `limit` lowest-scored requests below `threshold`; none asked, no query (it scores the whole window). */
async function lowScoreRequests(db: Kysely<Database>, q: AnalysisQuery, threshold: number, limit: number): Promise<LowScoreRow[]> {
  if (limit === 0) return [];
  const rows = await sql<LowScoreRow>`
    with sr as (${scoredRequestsSql(q)})
    select sr.id, sr.created_at, sr.model_used, sr.task_type, sr.quality, sr.quality_source, sr.status, sr.finish_reason
    from sr where sr.quality < ${threshold} order by sr.quality, sr.created_at, sr.id limit ${limit}`.execute(db);
  return rows.rows;
}

/** Model × task type cells and single requests whose quality is below the threshold. */
export async function qualityIssues(db: Kysely<Database>, q: AnalysisQuery, opts: QualityIssuesOptions = {}): Promise<QualityIssues> {
  const o = QualityIssuesOptions.parse(opts);
  const [qualityCellList, low] = await Promise.all([qualityCells(db, q, o.threshold), lowScoreRequests(db, q, o.threshold, o.limit)]);
  const { cells: judged, unconfirmed_cells: unconfirmed } = cellsBelowThreshold(qualityByModelAndTask(qualityCellList), o.threshold, o.min_samples);
  const n = qualityCellList.reduce((sum, c) => sum + c.n, 0);
  const rated = qualityCellList.reduce((sum, c) => sum + c.rated, 0);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: no quality issues to find');
  else if (rated === 0)
    gaps.push('no quality signals in this window: quality issues cannot be identified; send POST /v1/feedback or enable quality.judge sampling');
  if (unconfirmed.length > 0)
    gaps.push(`${unconfirmed.length} model × task type cells score below ${o.threshold} on fewer than ${o.min_samples} ratings: collect more before acting`);
  return {
    sample_size: n,
    data_gaps: gaps,
    threshold: o.threshold,
    min_samples: o.min_samples,
    cells: judged,
    unconfirmed_cells: unconfirmed,
    low_score_count: qualityCellList.reduce((sum, c) => sum + c.low, 0),
    low_score_requests: low.map((r) => ({
      request_id: r.id,
      created_at: isoOf(num(r.created_at)),
      model: r.model_used,
      task_type: r.task_type,
      quality: num(r.quality),
      quality_source: r.quality_source,
      status: num(r.status),
      finish_reason: r.finish_reason,
    })),
  };
}
