import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../store/schema.ts';
import { TIMEFRAMES, type Timeframe } from '../analysis-query.ts';
import { isoOf, num, numOrNull } from '../request-window.ts';
import type { RequestFilterValues, RequestListPage } from './request-log-types.ts';

/**
 * The request log behind the dashboard's Requests view (GET /admin/requests): one page of requests,
 * newest first, filtered by any of the list's columns. Keyset paging on (created_at, id) — a page
 * further back costs the same as the first, however many requests the window holds.
 */
const boolParam = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

export const RequestListParams = z.object({
  timeframe: z
    .enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]])
    .default('24h')
    .describe('Window ending now'),
  key: z.string().min(1).optional().describe('API key id'),
  model: z.string().min(1).optional().describe('Model that answered'),
  routing_model: z.string().min(1).optional().describe('Model the client asked for (auto, auto-cost, a catalog id…)'),
  task_type: z.string().min(1).optional(),
  status: z.enum(['ok', 'error']).or(z.coerce.number().int().min(100).max(599)).optional().describe('ok (2xx), error (not 2xx) or an HTTP status'),
  technique: z.string().min(1).optional().describe('Optimizer technique, or `none`'),
  cache_hit: boolParam.optional(),
  min_cost_usd: z.coerce.number().min(0).optional(),
  min_latency_ms: z.coerce.number().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next_cursor` of the page before. */
  cursor: z
    .string()
    .regex(/^\d+:.+$/)
    .optional(),
});
export type RequestListParams = z.input<typeof RequestListParams>;

/** `"technique":"x"` as JSON.stringify writes it in the optimization column, with LIKE's wildcards escaped. */
function techniqueLike(technique: string): string {
  return `%${JSON.stringify({ technique })
    .slice(1, -1)
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function techniqueOf(optimization: unknown): string | null {
  if (typeof optimization !== 'string' || optimization === '') return null;
  try {
    const parsed = JSON.parse(optimization) as { technique?: unknown };
    return typeof parsed.technique === 'string' ? parsed.technique : null;
  } catch {
    return null;
  }
}

export async function listRequests(db: Kysely<Database>, input: RequestListParams, nowMs: number): Promise<RequestListPage> {
  const p = RequestListParams.parse(input);
  const fromMs = nowMs - TIMEFRAMES[p.timeframe];
  const filtered = db
    .selectFrom('requests as r')
    .where('r.created_at', '>=', fromMs)
    .where('r.created_at', '<', nowMs)
    .$if(p.key !== undefined, (qb) => qb.where('r.key_id', '=', p.key ?? ''))
    .$if(p.model !== undefined, (qb) => qb.where('r.model_used', '=', p.model ?? ''))
    .$if(p.routing_model !== undefined, (qb) => qb.where('r.model_requested', '=', p.routing_model ?? ''))
    .$if(p.task_type !== undefined, (qb) => qb.where('r.task_type', '=', p.task_type ?? ''))
    .$if(p.status === 'ok', (qb) => qb.where('r.status', '>=', 200).where('r.status', '<', 300))
    .$if(p.status === 'error', (qb) => qb.where((eb) => eb.or([eb('r.status', '<', 200), eb('r.status', '>=', 300)])))
    .$if(typeof p.status === 'number', (qb) => qb.where('r.status', '=', p.status as number))
    .$if(p.technique === 'none', (qb) => qb.where('r.optimization', 'is', null))
    .$if(p.technique !== undefined && p.technique !== 'none', (qb) =>
      qb.where(sql<boolean>`r.optimization like ${techniqueLike(p.technique ?? '')} escape '\\'`),
    )
    .$if(p.cache_hit !== undefined, (qb) => qb.where('r.cache_hit', '=', p.cache_hit ? 1 : 0))
    .$if(p.min_cost_usd !== undefined, (qb) => qb.where('r.cost_usd', '>=', p.min_cost_usd ?? 0))
    .$if(p.min_latency_ms !== undefined, (qb) => qb.where('r.latency_ms', '>=', p.min_latency_ms ?? 0));

  let page = filtered;
  if (p.cursor !== undefined) {
    const cut = p.cursor.indexOf(':');
    const beforeMs = Number(p.cursor.slice(0, cut));
    const beforeId = p.cursor.slice(cut + 1);
    page = page.where((eb) => eb.or([eb('r.created_at', '<', beforeMs), eb.and([eb('r.created_at', '=', beforeMs), eb('r.id', '<', beforeId)])]));
  }
  const [countRow, rows] = await Promise.all([
    filtered.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
    page
      .leftJoin('api_keys as k', 'k.id', 'r.key_id')
      .select([
        'r.id',
        'r.created_at',
        'r.key_id',
        'k.name as key_name',
        'r.team',
        'r.model_requested',
        'r.model_used',
        'r.task_type',
        'r.status',
        'r.error_type',
        'r.stream',
        'r.input_tokens',
        'r.output_tokens',
        'r.cost_usd',
        'r.latency_ms',
        'r.optimization',
        'r.cache_hit',
      ])
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(p.limit + 1)
      .execute(),
  ]);
  const more = rows.length > p.limit;
  const shown = more ? rows.slice(0, p.limit) : rows;
  const last = shown.at(-1);
  return {
    window: { from: isoOf(fromMs), to: isoOf(nowMs) },
    total: num(countRow?.n),
    requests: shown.map((r) => ({
      id: r.id,
      created_at: isoOf(num(r.created_at)),
      key_id: r.key_id,
      key_name: r.key_name ?? null,
      team: r.team,
      routing_model: r.model_requested,
      model: r.model_used,
      task_type: r.task_type,
      status: num(r.status),
      error_type: r.error_type,
      stream: num(r.stream) === 1,
      input_tokens: num(r.input_tokens),
      output_tokens: num(r.output_tokens),
      cost_usd: num(r.cost_usd),
      latency_ms: numOrNull(r.latency_ms) ?? 0,
      technique: techniqueOf(r.optimization),
      cache_hit: num(r.cache_hit) === 1,
    })),
    next_cursor: more && last ? `${num(last.created_at)}:${last.id}` : null,
  };
}

export async function requestFilterValues(db: Kysely<Database>, timeframe: Timeframe, nowMs: number): Promise<RequestFilterValues> {
  const fromMs = nowMs - TIMEFRAMES[timeframe];
  const distinct = async (column: 'model_used' | 'model_requested' | 'task_type' | 'key_id'): Promise<string[]> => {
    const rows = await db
      .selectFrom('requests')
      .select([column, (eb) => eb.fn.countAll().as('n')])
      .where('created_at', '>=', fromMs)
      .where('created_at', '<', nowMs)
      .where(column, 'is not', null)
      .groupBy(column)
      .orderBy('n', 'desc')
      .orderBy(column)
      .limit(100)
      .execute();
    return rows.map((r) => String((r as Record<string, unknown>)[column]));
  };
  const [models, routing, tasks, keyIds, techniqueRows] = await Promise.all([
    distinct('model_used'),
    distinct('model_requested'),
    distinct('task_type'),
    distinct('key_id'),
    db
      .selectFrom('requests')
      .select('optimization')
      .where('created_at', '>=', fromMs)
      .where('created_at', '<', nowMs)
      .where('optimization', 'is not', null)
      // The newest 500 optimized requests name the techniques in use; parsing every row would not scale.
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute(),
  ]);
  const names = keyIds.length ? await db.selectFrom('api_keys').select(['id', 'name']).where('id', 'in', keyIds).execute() : [];
  const nameOf = new Map(names.map((k) => [k.id, k.name]));
  const techniques = [...new Set(techniqueRows.map((r) => techniqueOf(r.optimization)).filter((t): t is string => t !== null))].sort();
  return { keys: keyIds.map((id) => ({ id, name: nameOf.get(id) ?? null })), models, routing_models: routing, task_types: tasks, techniques };
}
