import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { scoredRequestsSql } from './quality.ts';
import { qualityCells, type QualityCell } from './quality-metrics.ts';
import { isoOf, num } from './request-window.ts';
import { meanInterval, roundSig } from './stats.ts';

export const QualityIssuesOptions = z.object({
  threshold: z.coerce.number().min(0).max(1).default(0.8).describe('Quality below this is an issue (0–1)'),
  min_samples: z.coerce.number().int().positive().default(10).describe('Fewest rated requests for a model × task type cell to be judged'),
  limit: z.coerce.number().int().positive().max(1000).default(20).describe('Most low-scoring requests listed'),
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
  low_score_requests: { request_id: string; created_at: string; model: string | null; task_type: string | null; quality: number; quality_source: string; status: number; finish_reason: string | null }[];
}

/** Rating sums per model × task type (over quality sources), for the cells with a rated request. */
function ratedCells(cells: readonly QualityCell[]): { model: string; taskType: string; rated: number; sq: number; sq2: number }[] {
  const byCell = new Map<string, { model: string; taskType: string; rated: number; sq: number; sq2: number }>();
  for (const c of cells) {
    const key = `${c.model}|${c.taskType}`;
    const acc = byCell.get(key) ?? { model: c.model, taskType: c.taskType, rated: 0, sq: 0, sq2: 0 };
    acc.rated += c.rated;
    acc.sq += c.sq;
    acc.sq2 += c.sq2;
    byCell.set(key, acc);
  }
  return [...byCell.values()].filter((c) => c.rated > 0);
}

/** Model × task type cells and single requests whose quality is below the threshold. */
export async function qualityIssues(db: Kysely<Database>, q: AnalysisQuery, opts: QualityIssuesOptions = {}): Promise<QualityIssues> {
  const o = QualityIssuesOptions.parse(opts);
  const [qualityCellList, low] = await Promise.all([
    qualityCells(db, q, o.threshold),
    sql<{ id: string; created_at: unknown; model_used: string | null; task_type: string | null; quality: unknown; quality_source: string; status: unknown; finish_reason: string | null }>`
      with sr as (${scoredRequestsSql(q)})
      select sr.id, sr.created_at, sr.model_used, sr.task_type, sr.quality, sr.quality_source, sr.status, sr.finish_reason
      from sr where sr.quality < ${o.threshold} order by sr.quality, sr.created_at, sr.id limit ${o.limit}`.execute(db),
  ]);
  const judged: QualityIssueCell[] = [];
  const unconfirmed: QualityIssues['unconfirmed_cells'] = [];
  for (const c of ratedCells(qualityCellList)) {
    const m = meanInterval(c.rated, c.sq, c.sq2);
    if (m.mean === null || m.mean >= o.threshold) continue;
    const base = { model: c.model, task_type: c.taskType, rated: m.n, avg_quality: roundSig(m.mean) ?? 0 };
    if (m.n < o.min_samples) unconfirmed.push(base);
    else judged.push({ ...base, ci95_low: roundSig(m.ci95_low), ci95_high: roundSig(m.ci95_high), significant: m.ci95_high !== null && m.ci95_high < o.threshold });
  }
  judged.sort((a, b) => a.avg_quality - b.avg_quality || b.rated - a.rated);
  unconfirmed.sort((a, b) => a.avg_quality - b.avg_quality);
  const n = qualityCellList.reduce((sum, c) => sum + c.n, 0);
  const rated = qualityCellList.reduce((sum, c) => sum + c.rated, 0);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: no quality issues to find');
  else if (rated === 0) gaps.push('no quality signals in this window: quality issues cannot be identified; send POST /v1/feedback or enable quality.judge sampling');
  if (unconfirmed.length > 0) gaps.push(`${unconfirmed.length} model × task type cells score below ${o.threshold} on fewer than ${o.min_samples} ratings: collect more before acting`);
  return {
    sample_size: n,
    data_gaps: gaps,
    threshold: o.threshold,
    min_samples: o.min_samples,
    cells: judged,
    unconfirmed_cells: unconfirmed,
    low_score_count: qualityCellList.reduce((sum, c) => sum + c.low, 0),
    low_score_requests: low.rows.map((r) => ({
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
