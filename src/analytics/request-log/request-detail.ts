import type { Kysely } from 'kysely';
import type { Pricing } from '../../config/schema.ts';
import { costBreakdown } from '../../costs/cost.ts';
import { decodeRequestRow, toNumber } from '../../store/row-codec.ts';
import type { Database } from '../../store/schema.ts';
import type { RequestRow } from '../../store/types.ts';
import { isoOf } from '../request-window.ts';
import type { AttemptsDetail, CostDetail, DecisionDetail, RequestDetail } from './request-log-types.ts';

export type { RequestDetail } from './request-log-types.ts';

export interface RequestDetailOptions {
  /** `server.log_content` now: stored texts are shown only while it is on. */
  logContent: boolean;
  /** Model id → prices, for the cost parts. */
  pricingOf: (modelId: string) => Pricing | undefined;
}

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function costOf(row: RequestRow, opts: RequestDetailOptions): CostDetail {
  const pricing = row.model_used === null ? undefined : opts.pricingOf(row.model_used);
  const usage = {
    inputTokens: row.input_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    outputTokens: row.output_tokens,
    reasoningTokens: row.reasoning_tokens,
  };
  return {
    cost_usd: row.cost_usd,
    usage_estimated: row.usage_estimated,
    tokens: {
      input: row.input_tokens,
      cached_input: row.cached_input_tokens,
      cache_write: row.cache_write_tokens,
      output: row.output_tokens,
      reasoning: row.reasoning_tokens,
    },
    parts: pricing && row.optimization === null && !row.cache_hit ? costBreakdown(usage, pricing) : null,
    cache_saved_usd: row.cache_saved_usd,
  };
}

function attemptsOf(row: RequestRow, decision: DecisionDetail | null): AttemptsDetail {
  const planned = decision ? [decision.chosen_model, ...decision.fallbacks] : row.model_used ? [row.model_used] : [];
  const first = planned[0];
  return {
    attempts: row.attempts,
    retries_or_fallbacks: Math.max(0, row.attempts - 1),
    planned,
    fell_back_to: row.model_used !== null && first !== undefined && row.model_used !== first && !first.startsWith(`${row.model_used}+`) ? row.model_used : null,
  };
}

export async function requestDetail(db: Kysely<Database>, id: string, opts: RequestDetailOptions): Promise<RequestDetail | undefined> {
  const raw = await db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (raw === undefined) return undefined;
  const row = decodeRequestRow(raw);
  const [d, feedback, key] = await Promise.all([
    db.selectFrom('decisions').selectAll().where('request_id', '=', id).executeTakeFirst(),
    db.selectFrom('feedback').selectAll().where('request_id', '=', id).orderBy('source').execute(),
    row.key_id === null ? undefined : db.selectFrom('api_keys').select(['id', 'name', 'team']).where('id', '=', row.key_id).executeTakeFirst(),
  ]);
  const decision: DecisionDetail | null = d
    ? {
        id: d.id,
        goal: d.goal,
        complexity: toNumber(d.complexity),
        chosen_model: d.chosen_model,
        candidates: (parseJson(d.candidates) as Array<Record<string, unknown>> | null) ?? [],
        rules: asStrings(parseJson(d.rules)),
        fallbacks: asStrings(parseJson(d.fallbacks)),
        rationale: d.rationale,
        router_version: d.router_version,
        decision_ms: toNumber(d.decision_us) / 1000,
      }
    : null;
  const kept = row.prompt_text !== null || row.response_text !== null;
  return {
    id: row.id,
    created_at: isoOf(row.created_at),
    key: row.key_id === null ? null : { id: row.key_id, name: key?.name ?? null, team: row.team },
    routing_model: row.model_requested,
    model: row.model_used,
    provider: row.provider,
    task_type: row.task_type,
    status: row.status,
    error_type: row.error_type,
    finish_reason: row.finish_reason,
    stream: row.stream,
    cache_hit: row.cache_hit,
    metadata: parseJson(row.metadata),
    decision,
    cost: costOf(row, opts),
    latency: {
      total_ms: row.latency_ms,
      gateway_overhead_ms: row.overhead_ms,
      routing_decision_ms: decision?.decision_ms ?? null,
      time_to_first_token_ms: row.ttft_ms,
      upstream_ms: row.upstream_latency_ms,
    },
    attempts: attemptsOf(row, decision),
    optimization: parseJson(row.optimization),
    feedback: feedback.map((f) => ({ source: f.source, score: toNumber(f.score), comment: f.comment, created_at: isoOf(toNumber(f.created_at)) })),
    content: opts.logContent && kept ? { prompt: parseJson(row.prompt_text), answer: row.response_text } : null,
    content_note: opts.logContent
      ? kept
        ? null
        : 'this request was logged before log_content was on'
      : 'prompt and answer are not kept: set server.log_content: true to keep them',
  };
}
