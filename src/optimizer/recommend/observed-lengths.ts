import type { Kysely } from 'kysely';
import { TASK_TYPES, type TaskType } from '../../config/enums.ts';
import type { Database } from '../../store/schema.ts';
import { PeriodicRefresh } from '../../util/periodic-refresh.ts';
import type { LengthStats } from './size-max-tokens.ts';

export interface ObservedLengthsOptions {
  /** Most recent completed requests read per task type. */
  windowRequests?: number;
  /** How often the snapshot is rebuilt from the request log. */
  refreshIntervalMs?: number;
  onError?: (err: unknown) => void;
}

export const DEFAULT_WINDOW_REQUESTS = 5_000;
export const DEFAULT_REFRESH_INTERVAL_MS = 60_000;

interface LengthRow {
  created_at: number;
  model_used: string | null;
  output_tokens: number;
  finish_reason: string | null;
}

/**
 * The recent completion lengths per task type (and per task type and model), read from the `requests`
 * table in the background and served from memory: the request path and /v1/optimize only ever read
 * the last snapshot. Counted: answered requests (status 200) that went upstream as one plain call —
 * not cache hits (no answer was generated) and not optimized requests (their tokens are summed over
 * several calls).
 */
export class ObservedLengths extends PeriodicRefresh {
  private snapshot = new Map<string, LengthStats>();
  private readonly windowRequests: number;
  /** Epoch ms of the last completed refresh; 0 before the first. */
  refreshedAtMs = 0;

  constructor(
    private readonly db: Kysely<Database>,
    opts: ObservedLengthsOptions = {},
  ) {
    super(opts.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS, opts.onError);
    this.windowRequests = opts.windowRequests ?? DEFAULT_WINDOW_REQUESTS;
  }

  /** Lengths of a task type's answers, or of one model's answers to it. */
  get(taskType: string, model?: string): LengthStats | undefined {
    return this.snapshot.get(model === undefined ? taskType : `${taskType}\u0000${model}`);
  }

  /** Rebuilds the snapshot; a failed refresh keeps the last one. */
  protected async work(): Promise<void> {
    const next = new Map<string, LengthStats>();
    for (const taskType of TASK_TYPES) {
      const rows = await this.recentRows(taskType);
      if (rows.length === 0) continue;
      next.set(taskType, statsOf(taskType, undefined, rows));
      const byModel = new Map<string, LengthRow[]>();
      for (const row of rows) {
        if (row.model_used === null) continue;
        const list = byModel.get(row.model_used);
        if (list) list.push(row);
        else byModel.set(row.model_used, [row]);
      }
      for (const [model, modelRows] of byModel) next.set(`${taskType}\u0000${model}`, statsOf(taskType, model, modelRows));
    }
    this.snapshot = next;
    this.refreshedAtMs = Date.now();
  }

  /** One indexed range read per task type (requests_task_created_idx), newest first. */
  private recentRows(taskType: TaskType): Promise<LengthRow[]> {
    return this.db
      .selectFrom('requests')
      .select(['created_at', 'model_used', 'output_tokens', 'finish_reason'])
      .where('task_type', '=', taskType)
      .where('status', '=', 200)
      .where('cache_hit', '=', 0)
      .where('optimization', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(this.windowRequests)
      .execute();
  }
}

export function statsOf(taskType: string, model: string | undefined, rows: readonly LengthRow[]): LengthStats {
  const sortedOutputTokens = rows.map((r) => Number(r.output_tokens)).sort((a, b) => a - b);
  let truncated = 0;
  let fromMs = Infinity;
  let toMs = -Infinity;
  for (const r of rows) {
    if (r.finish_reason === 'length') truncated += 1;
    const at = Number(r.created_at);
    if (at < fromMs) fromMs = at;
    if (at > toMs) toMs = at;
  }
  return { taskType, ...(model === undefined ? {} : { model }), sortedOutputTokens, truncated, fromMs, toMs };
}
