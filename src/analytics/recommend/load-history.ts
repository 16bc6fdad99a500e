import { sql, type Kysely } from 'kysely';
import { GOALS, type Goal } from '../../config/schema.ts';
import { toNumber } from '../../store/row-codec.ts';
import type { Database } from '../../store/schema.ts';
import type { CandidateScore } from '../../store/types.ts';
import type { AnalysisQuery } from '../analysis-query.ts';
import { deriveRequestQuality, type QualitySignal } from './request-quality.ts';

/** One routed request as the recommendation analyses see it: the decision, what happened, and its quality signal. */
export interface HistoryRow {
  requestId: string;
  createdAt: number;
  routingModel: string;
  taskType: string;
  complexity: number;
  goal: Goal;
  chosenModel: string;
  modelUsed: string | null;
  status: number;
  costUsd: number;
  latencyMs: number;
  candidates: CandidateScore[];
  rules: string[];
  /** Observed quality 0–1 from feedback, judge or completion signals; null without any signal. */
  quality: number | null;
}

export interface History {
  rows: HistoryRow[];
  /** Routed requests in the window before sampling. */
  totalRequests: number;
  /** Routed requests in the window per loaded row: 1 without sampling; window totals are the sample's × this. */
  sampleScale: number;
}

/** Request ids end in hex (UUIDs): their last two characters split the window into 256 stable buckets. */
const ID_BUCKETS = 256;

function bucketSuffixes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => i.toString(16).padStart(2, '0'));
}

/** Above about this many routed requests the window is sampled, so a 30-day report stays in seconds. */
export const DEFAULT_MAX_HISTORY_ROWS = 5_000;

function parseJsonArray<T>(text: string): T[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function toGoal(value: string): Goal {
  return (GOALS as readonly string[]).includes(value) ? (value as Goal) : 'balanced';
}

/**
 * Loads the window's routed requests (decision joined to its request row) with their quality signals.
 * Filters: task types on the decision, keys and models (as used) on the request.
 */
export async function loadHistory(db: Kysely<Database>, q: AnalysisQuery, maxRows = DEFAULT_MAX_HISTORY_ROWS): Promise<History> {
  const base = routedInWindow(db, q);
  const totalRequests = await countRouted(db, q);
  // Above the cap, a stable share of id buckets: a filter during the scan, no sort of the whole window.
  const buckets = totalRequests > maxRows ? Math.max(1, Math.round((ID_BUCKETS * maxRows) / totalRequests)) : ID_BUCKETS;
  const columns = [
    'r.id as request_id',
    'r.created_at',
    'r.model_used',
    'r.status',
    'r.cost_usd',
    'r.latency_ms',
    'r.finish_reason',
    'd.routing_model',
    'd.task_type',
    'd.complexity',
    'd.goal',
    'd.chosen_model',
    'd.candidates',
    'd.rules',
  ] as const;
  const raw = await base
    .$if(buckets < ID_BUCKETS, (qb) => qb.where(sql<string>`substr(r.id, length(r.id) - 1, 2)`, 'in', bucketSuffixes(buckets)))
    .select([...columns])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  const signals = await loadSignals(
    db,
    q,
    raw.map((r) => r.request_id),
    buckets < ID_BUCKETS ? bucketSuffixes(buckets) : null,
  );
  const rows = raw.map((r): HistoryRow => ({
    requestId: r.request_id,
    createdAt: toNumber(r.created_at),
    routingModel: r.routing_model,
    taskType: r.task_type,
    complexity: toNumber(r.complexity),
    goal: toGoal(r.goal),
    chosenModel: r.chosen_model,
    modelUsed: r.model_used,
    status: toNumber(r.status),
    costUsd: toNumber(r.cost_usd),
    latencyMs: toNumber(r.latency_ms),
    candidates: parseJsonArray<CandidateScore>(r.candidates),
    rules: parseJsonArray<string>(r.rules),
    quality: deriveRequestQuality(signals.get(r.request_id) ?? [], { status: toNumber(r.status), finishReason: r.finish_reason }),
  }));
  return { rows, totalRequests, sampleScale: rows.length > 0 && buckets < ID_BUCKETS ? totalRequests / rows.length : 1 };
}

/**
 * Routed requests in the window. Without key or model filters it counts decisions by their own
 * timestamp (an index-only count; the gateway stamps a decision with its request's creation time),
 * else through the join.
 */
async function countRouted(db: Kysely<Database>, q: AnalysisQuery): Promise<number> {
  const counted =
    q.keyIds.length === 0 && q.models.length === 0
      ? await db
          .selectFrom('decisions as d')
          .where('d.created_at', '>=', q.fromMs)
          .where('d.created_at', '<', q.toMs)
          .$if(q.taskTypes.length > 0, (qb) => qb.where('d.task_type', 'in', q.taskTypes))
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      : await routedInWindow(db, q)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst();
  return toNumber(counted?.n ?? 0);
}

/**
 * Feedback rows of the window's requests, grouped by request id. A cross join with the join condition
 * in WHERE is the inner join, written so that SQLite walks the feedback and probes requests by id
 * (index-only, migration 0003) rather than probing the feedback once per request of the window. With a
 * sampled history, feedback outside the sampled id buckets is dropped before the probe.
 */
async function loadSignals(
  db: Kysely<Database>,
  q: AnalysisQuery,
  requestIds: readonly string[],
  sampledSuffixes: string[] | null,
): Promise<Map<string, QualitySignal[]>> {
  const wanted = new Set(requestIds);
  const rows = await db
    .selectFrom('feedback as f')
    .crossJoin('requests as r')
    .whereRef('r.id', '=', 'f.request_id')
    .$if(sampledSuffixes !== null, (qb) => qb.where(sql<string>`substr(f.request_id, length(f.request_id) - 1, 2)`, 'in', sampledSuffixes ?? []))
    .where('r.created_at', '>=', q.fromMs)
    .where('r.created_at', '<', q.toMs)
    .select(['f.request_id', 'f.source', 'f.score'])
    .execute();
  const byRequest = new Map<string, QualitySignal[]>();
  for (const row of rows) {
    if (!wanted.has(row.request_id)) continue;
    const list = byRequest.get(row.request_id) ?? [];
    list.push({ source: row.source, score: toNumber(row.score) });
    byRequest.set(row.request_id, list);
  }
  return byRequest;
}

/** Decisions joined to their requests in the window, filtered by task type (decision), key and model used (request). */
function routedInWindow(db: Kysely<Database>, q: AnalysisQuery) {
  return db
    .selectFrom('decisions as d')
    .innerJoin('requests as r', 'r.id', 'd.request_id')
    .where('r.created_at', '>=', q.fromMs)
    .where('r.created_at', '<', q.toMs)
    .$if(q.taskTypes.length > 0, (qb) => qb.where('d.task_type', 'in', q.taskTypes))
    .$if(q.keyIds.length > 0, (qb) => qb.where('r.key_id', 'in', q.keyIds))
    .$if(q.models.length > 0, (qb) => qb.where('r.model_used', 'in', q.models));
}
