import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ChatRequest } from '../providers/chat-schema.ts';
import { SSE_RESPONSE_HEADERS } from '../providers/sse.ts';
import { toOpenAIUsage, type NormalizedUsage, type UpstreamTarget } from '../providers/types.ts';
import type { FallbackOutcome } from '../reliability/call-with-fallback.ts';
import { errors, GatewayError } from '../util/errors.ts';
import { accountUsage } from './accounting.ts';
import { attemptContext, callUpstream } from './call-upstream.ts';
import type { Gateway } from './gateway-types.ts';
import { keepJudgeContent } from './keep-judge-content.ts';
import type { RoutePlan } from './plan-route.ts';
import { finishTiming, type RequestRecord } from './request-record.ts';
import { gatewayHeaders, recordRequest } from './request-log.ts';
import { observeForCache, storeCompletion, storeStreamed, type CacheTicket } from './serve-from-cache.ts';
import { pipeStream, type StreamResult } from './stream-completion.ts';
import { keepToolCallSignal } from './tool-call-signal.ts';
import { attemptCompletion, attemptStream, simControlHeaders, type AttemptContext, type OpenStream } from './upstream-attempts.ts';

/** One request without a technique, as the handler hands it over. */
export interface PlainRequest {
  g: Gateway;
  reply: FastifyReply;
  body: ChatRequest;
  plan: RoutePlan;
  /** Aborted when the client leaves. */
  signal: AbortSignal;
  cache: CacheTicket;
}

/** A request without a technique: one upstream answer, sent whole or streamed as it comes. */
export function completePlain(p: PlainRequest): Promise<void> {
  return p.body.stream === true ? streamCompletion(p) : completeOnce(p);
}

/** The plan's targets through callUpstream; the row gets the attempts and the model that answered. */
function callPlan<T>(p: PlainRequest, attempt: (ctx: AttemptContext, target: UpstreamTarget) => Promise<T>, callerRecordsSuccess = false) {
  const record = p.reply.request.record;
  const ctx = attemptContext(p.g, p.body, record, simControlHeaders(p.reply.request.headers), p.signal);
  return callUpstream(p.g, p.plan.targets, (target) => attempt(ctx, target), { signal: p.signal, callerRecordsSuccess, onOutcome: (o) => noteAttempts(record, o) });
}

async function completeOnce(p: PlainRequest): Promise<void> {
  const { g, reply, body, plan, cache } = p;
  const record = reply.request.record;
  const outcome = await callPlan(p, attemptCompletion);
  const { completion, usage } = outcome.value;
  const target = outcome.target;
  const outputText = completion.choices
    .map((c) => (c.message.content ?? '') + (c.message.tool_calls ?? []).map((t) => t.function?.arguments ?? '').join(''))
    .join('');
  const settled = accountUsage(record, target, body, usage, outputText);
  completion.usage = toOpenAIUsage(settled);
  completion.model = target.model.id;
  record.row.finish_reason = completion.choices[0]?.finish_reason ?? null;
  if (g.config.server.log_content) record.row.response_text = outputText;
  keepJudgeContent(g, record, body.messages, outputText);
  keepToolCallSignal(record, body.tools, completion.choices.flatMap((c) => c.message.tool_calls ?? []));
  record.row.status = 200;
  g.liveStats.record(target.model.id, {
    ttftMs: Number(record.upstreamNs) / 1e6,
    outputTokens: settled.outputTokens,
    durationMs: Number(record.upstreamNs) / 1e6,
    ok: true,
  });
  finishTiming(record);
  reply.headers(gatewayHeaders(record, target, plan.decision, g.simulated));
  reply.header('content-type', 'application/json').send(JSON.stringify(completion));
  storeCompletion(g, cache, completion, target, record);
}

async function streamCompletion(p: PlainRequest): Promise<void> {
  const { g, reply, body, plan, signal, cache } = p;
  const record = reply.request.record;
  const outcome = await callPlan(p, attemptStream, true);
  const open = observeForCache(cache, outcome.value);
  const target = outcome.target;
  const breaker = g.breakers.get(target.model.id);
  if (signal.aborted) {
    breaker.recordSuccess(); // the client left: says nothing of the model's health
    open.res.body.destroy();
    throw new GatewayError(499, 'invalid_request_error', 'The client closed the request.', { code: 'client_closed' });
  }
  finishTiming(record);
  reply.hijack();
  const out = reply.raw;
  try {
    out.writeHead(200, {
      ...SSE_RESPONSE_HEADERS,
      trailer: 'x-aigw-cost-usd, x-aigw-overhead-ms',
      ...gatewayHeaders(record, target, plan.decision, g.simulated, { streaming: true }),
    });
    await relayStream(g, open, body, out, record);
    // A stream that failed mid-answer counts against the model like a failed call.
    if (record.row.status === 502) breaker.recordFailure(Date.now());
    else breaker.recordSuccess();
    storeStreamed(g, cache, open, record);
  } catch (err) {
    // Past hijack() fastify's error handler cannot answer for us: end the exchange here.
    breaker.recordSuccess(); // the gateway's own fault, not the model's; frees a half-open probe
    open.res.body.destroy();
    g.logger.error({ err, requestId: record.row.id }, 'stream relay failed in the gateway');
    record.row.status = 500;
    record.row.error_type = 'internal_error';
    if (!out.headersSent) {
      out.writeHead(500, { 'content-type': 'application/json', 'x-aigw-request-id': record.row.id });
      out.end(JSON.stringify(errors.internal(record.row.id).toBody()));
    } else {
      out.destroy();
    }
  } finally {
    recordRequest(g, record);
  }
}

async function relayStream(g: Gateway, open: OpenStream, body: ChatRequest, out: ServerResponse, record: RequestRecord): Promise<void> {
  const target = open.target;
  let settled: NormalizedUsage | undefined;
  const settle = (r: StreamResult) => (settled ??= accountUsage(record, target, body, r.usage, r.outputText));
  const result = await pipeStream(open, body, out, record, settle);
  // Cut or abandoned streams are billed too: the upstream charged for what it generated.
  settle(result);
  if (result.failure) {
    record.row.status = result.failure.kind === 'client_closed' ? 499 : 502;
    record.row.error_type = result.failure.kind;
  } else {
    record.row.status = 200;
  }
  record.row.finish_reason = result.finishReason;
  if (result.firstTokenAtNs !== undefined) record.row.ttft_ms = Number(result.firstTokenAtNs - record.startNs) / 1e6;
  if (g.config.server.log_content) record.row.response_text = result.outputText;
  keepJudgeContent(g, record, body.messages, result.outputText);
  if (!result.failure) keepToolCallSignal(record, body.tools, result.toolCalls.map((c) => ({ function: c })));
  g.liveStats.record(target.model.id, {
    ttftMs: result.firstTokenAtNs !== undefined ? Number(result.firstTokenAtNs - open.headersAtNs) / 1e6 : undefined,
    outputTokens: record.row.output_tokens,
    durationMs: Number(process.hrtime.bigint() - open.headersAtNs) / 1e6,
    ok: result.failure === undefined,
  });
  finishTiming(record);
  if (!out.destroyed) {
    out.addTrailers({
      'x-aigw-cost-usd': record.row.cost_usd.toFixed(10),
      'x-aigw-overhead-ms': record.row.overhead_ms.toFixed(3),
    });
    out.end();
  }
}

/** The row's attempt count and the model that answered (or, when none did, the last one tried). */
function noteAttempts(record: RequestRecord, outcome: FallbackOutcome<unknown>): void {
  record.row.attempts = outcome.attempts.length;
  const last = outcome.attempts.at(-1);
  if (outcome.ok) {
    record.row.model_used = outcome.target.model.id;
    record.row.provider = outcome.target.provider.id;
  } else if (last) {
    record.row.model_used = last.model;
  }
}
