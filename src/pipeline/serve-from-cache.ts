import type { FastifyReply } from 'fastify';
import type { Gateway } from './gateway-types.ts';
import type { ChatCompletion, ChatRequest } from '../providers/chat-schema.ts';
import type { NormalizedUsage, ProviderAdapter, UpstreamTarget } from '../providers/types.ts';
import { SSE_RESPONSE_HEADERS } from '../providers/sse.ts';
import type { ClientFormat } from './client-format/client-format.ts';
import type { RoutePlan } from './plan-route.ts';
import { applyUsage, finishTiming, type RequestRecord } from './request-record.ts';
import { gatewayHeaders, recordRequest } from './request-log.ts';
import type { OpenStream } from './upstream-attempts.ts';
import { CachedAnswer, type CachedChoice } from '../cache/cached-answer.ts';
import { cacheNamespace, responseCacheKey } from '../cache/cache-key.ts';
import { CACHE_HEADER, decideCacheUse } from '../cache/cache-policy.ts';
import { completionFromCache } from '../cache/replay.ts';
import { StreamAssembler } from '../cache/stream-assembler.ts';

/** What the cache decided for one request; the handler passes it on to the store hooks. */
export interface CacheTicket {
  /** Set when the request may be answered from and stored into the cache. */
  key: string | undefined;
  /** The plan's first target: the model the key was made for. Only its answers are stored. */
  target: UpstreamTarget | undefined;
  hit: CachedAnswer | undefined;
  assembler: StreamAssembler | undefined;
}

/**
 * Looks the request up after routing (the key needs the resolved model) and before any budget is
 * reserved. Stamps `x-aigw-cache` on the answer, whichever path sends it. A cache that fails to
 * answer is a miss: the request goes upstream as if there were no cache.
 */
export function lookupResponseCache(g: Gateway, reply: FastifyReply, body: ChatRequest, plan: RoutePlan): CacheTicket | Promise<CacheTicket> {
  const ticket: CacheTicket = { key: undefined, target: plan.targets[0], hit: undefined, assembler: undefined };
  const decided = decideCacheUse(g.config.cache, reply.request.headers, body);
  // Off (the default) answers at once: the request path need not wait a turn for it.
  if (decided.use === 'off' || !ticket.target) return ticket;
  return lookupUsed(g, reply, body, ticket, decided.use);
}

async function lookupUsed(g: Gateway, reply: FastifyReply, body: ChatRequest, ticket: CacheTicket, use: 'bypass' | 'use'): Promise<CacheTicket> {
  const record = reply.request.record;
  if (use === 'bypass') return noteLookup(g, reply, ticket, 'bypass');
  ticket.key = responseCacheKey(cacheNamespace(record.key, record.isAdmin), ticket.target!, body);
  try {
    ticket.hit = await g.cache.lookup(ticket.key);
  } catch (err) {
    g.logger.warn({ err, requestId: record.row.id }, 'response cache lookup failed; answering from upstream');
  }
  return noteLookup(g, reply, ticket, ticket.hit ? 'hit' : 'miss');
}

function noteLookup(g: Gateway, reply: FastifyReply, ticket: CacheTicket, result: 'hit' | 'miss' | 'bypass'): CacheTicket {
  // On the raw response so it also reaches hijacked (streamed) answers, which write their own head.
  reply.raw.setHeader(CACHE_HEADER, result);
  g.metrics.cacheLookups.inc({ result });
  return ticket;
}

/**
 * Answers a hit with no upstream call and no budget reservation: a fresh completion, or a replayed
 * SSE stream. The row counts the answer's tokens and what it once cost as `cache_saved_usd`, at `cost_usd` 0.
 */
export function answerFromCache(g: Gateway, reply: FastifyReply, body: ChatRequest, plan: RoutePlan, ticket: CacheTicket, format: ClientFormat): void {
  const answer = ticket.hit;
  if (!answer) throw new Error('answerFromCache needs a hit');
  const record = reply.request.record;
  stampHitRow(record, answer, g.config.server.log_content);
  g.metrics.cacheSavedUsd.inc(answer.cost_usd);
  const ident = { id: `chatcmpl-${record.row.id}`, createdS: Math.floor(Date.now() / 1000) };
  finishTiming(record);
  const headers = {
    ...gatewayHeaders(record, ticket.target, plan.decision, g.simulated),
    'x-aigw-cache-saved-usd': answer.cost_usd.toFixed(10),
  };
  if (body.stream !== true) {
    const completion = completionFromCache(answer, ident);
    reply
      .headers(headers)
      .header('content-type', 'application/json')
      .send(JSON.stringify(format.answer(completion, answer.usage, 0, record.row.id)));
    return;
  }
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { ...SSE_RESPONSE_HEADERS, ...headers });
  record.row.ttft_ms = record.row.latency_ms;
  out.end(format.wholeStream(completionFromCache(answer, ident), answer.usage, 0, { body, requestId: record.row.id }).join(''));
  recordRequest(g, record);
}

function stampHitRow(record: RequestRecord, answer: CachedAnswer, logContent: boolean): void {
  const row = record.row;
  applyUsage(row, answer.usage, 0, answer.usage_estimated);
  row.cache_hit = true;
  row.cache_saved_usd = answer.cost_usd;
  row.model_used = answer.model;
  row.provider = answer.provider;
  row.attempts = 0;
  row.status = 200;
  row.finish_reason = answer.choices[0]?.finish_reason ?? null;
  if (logContent) row.response_text = answer.choices.map((c) => c.message.content ?? '').join('');
}

/** Stores a successful non-stream answer, after it was sent. */
export function storeCompletion(g: Gateway, ticket: CacheTicket, completion: ChatCompletion, target: UpstreamTarget, record: RequestRecord): void {
  if (!ticket.key || !isPlannedTarget(ticket, target) || record.row.status !== 200) return;
  const choices = completion.choices.map((c): Partial<CachedChoice> => ({
    index: c.index,
    message: {
      role: 'assistant',
      content: c.message.content ?? null,
      ...(c.message.tool_calls ? { tool_calls: c.message.tool_calls } : {}),
      ...(c.message.refusal != null ? { refusal: c.message.refusal } : {}),
    },
    finish_reason: c.finish_reason as CachedChoice['finish_reason'],
    ...(c.logprobs != null ? { logprobs: c.logprobs } : {}),
  }));
  storeOffPath(g, ticket.key, target, choices, record);
}

/**
 * Lets the stream's chunks be assembled into a completion as they are relayed (no second parse):
 * the adapter's stream mapper is wrapped, everything else passes through.
 */
export function observeForCache(ticket: CacheTicket, open: OpenStream): OpenStream {
  if (!ticket.key || !isPlannedTarget(ticket, open.target)) return open;
  const assembler = new StreamAssembler();
  ticket.assembler = assembler;
  const inner = open.adapter;
  const adapter: ProviderAdapter = {
    buildRequest: (req, target, opts) => inner.buildRequest(req, target, opts),
    mapResponse: (body, target, requestId) => inner.mapResponse(body, target, requestId),
    mapError: (status, text, headers) => inner.mapError(status, text, headers),
    createStreamMapper(target, requestId) {
      const mapper = inner.createStreamMapper(target, requestId);
      return {
        push(event) {
          const mapped = mapper.push(event);
          if (Array.isArray(mapped)) for (const chunk of mapped) assembler.push(chunk);
          return mapped;
        },
        usage: () => mapper.usage(),
        done: () => mapper.done(),
      };
    },
  };
  return { ...open, adapter };
}

/** Stores a streamed answer that ended cleanly (status 200, every choice finished), after the stream ended. */
export function storeStreamed(g: Gateway, ticket: CacheTicket, open: OpenStream, record: RequestRecord): void {
  if (!ticket.key || !ticket.assembler || record.row.status !== 200) return;
  const choices = ticket.assembler.choicesIfComplete();
  if (choices) storeOffPath(g, ticket.key, open.target, choices, record);
}

function isPlannedTarget(ticket: CacheTicket, target: UpstreamTarget): boolean {
  // A fallback's answer is not what the key's model would have said: it is not stored.
  return ticket.target?.model.id === target.model.id && ticket.target.provider.id === target.provider.id;
}

function rowUsage(record: RequestRecord): NormalizedUsage {
  const r = record.row;
  return {
    inputTokens: r.input_tokens,
    cachedInputTokens: r.cached_input_tokens,
    cacheWriteTokens: r.cache_write_tokens,
    outputTokens: r.output_tokens,
    reasoningTokens: r.reasoning_tokens,
  };
}

/** Validates and writes the entry on a later tick, so neither serializing nor the write delays the answer. */
function storeOffPath(g: Gateway, key: string, target: UpstreamTarget, choices: Array<Partial<CachedChoice>>, record: RequestRecord): void {
  const parsed = CachedAnswer.safeParse({
    v: 1,
    provider: target.provider.id,
    model: target.model.id,
    choices,
    usage: rowUsage(record),
    usage_estimated: record.row.usage_estimated,
    cost_usd: record.row.cost_usd,
    stored_at_ms: Date.now(),
  });
  if (!parsed.success) return; // an error or filtered finish, or a shape the replay could not reproduce
  const cfg = g.config.cache;
  const requestId = record.row.id;
  setImmediate(() => {
    g.cache.store(key, parsed.data, { ttlMs: cfg.ttl_s * 1000, maxEntryBytes: cfg.max_entry_bytes }).then(
      (outcome) => {
        if (outcome === 'too_large') g.logger.debug({ requestId }, 'response cache: answer larger than cache.max_entry_bytes, not stored');
      },
      (err: unknown) => g.logger.warn({ err, requestId }, 'response cache store failed'),
    );
  });
}
