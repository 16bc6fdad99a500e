import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway } from '../../gateway/gateway-types.ts';
import type { ChatRequest } from '../../providers/chat-schema.ts';
import { toOpenAIUsage, type NormalizedUsage, type UpstreamTarget } from '../../providers/types.ts';
import { callWithFallback } from '../../reliability/call-with-fallback.ts';
import type { FallbackOutcome } from '../../reliability/call-with-fallback.ts';
import { accountUsage } from '../accounting.ts';
import { enforceRateLimit, reserveBudget, settleBudget } from '../budget-guard.ts';
import { errors, GatewayError } from '../errors.ts';
import { parseChatRequest } from '../parse-chat-request.ts';
import { planRoute, type RoutePlan } from '../plan-route.ts';
import { finishTiming, type RequestRecord } from '../request-record.ts';
import { gatewayHeaders, recordRequest, recordDecision } from '../request-log.ts';
import { pipeStream, type StreamResult } from '../stream-completion.ts';
import { attemptCompletion, attemptStream, simControlHeaders, type AttemptContext } from '../upstream-attempts.ts';

/**
 * POST /v1/chat/completions — the request path, top to bottom:
 * auth (onRequest hook) → validate → rate limit → route → reserve budget → call upstream with
 * retries, fallback and breakers → account usage and cost → settle budget → respond → log (batched).
 */
export function registerChatCompletions(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/chat/completions', async (req, reply) => {
    const g = gateway();
    const record = req.record;
    const body = parseChatRequest(req.body);
    record.row.model_requested = body.model;
    record.row.stream = body.stream === true;
    if (body.metadata) record.row.metadata = JSON.stringify(body.metadata);
    if (g.config.server.log_content) record.row.prompt_text = JSON.stringify(body.messages);

    await enforceRateLimit(g, record);
    const planned = planRoute(g, body, req.headers, record);
    const plan = planned instanceof Promise ? await planned : planned;
    if (plan.decision) recordDecision(g, plan.decision, record);
    const reservation = await reserveBudget(g, record, body, plan.targets);
    try {
      if (body.stream === true) await streamCompletion(g, req, reply, body, plan);
      else await completeOnce(g, reply, body, plan);
    } finally {
      await settleBudget(g, reservation, record);
    }
  });
}

async function completeOnce(g: Gateway, reply: FastifyReply, body: ChatRequest, plan: RoutePlan): Promise<void> {
  const record = reply.request.record;
  const outcome = await callUpstream(g, reply.request, body, plan, attemptCompletion);
  const { completion, usage } = outcome.value;
  const target = outcome.target;
  const outputText = completion.choices
    .map((c) => (c.message.content ?? '') + (c.message.tool_calls ?? []).map((t) => t.function.arguments).join(''))
    .join('');
  const settled = accountUsage(record, target, body, usage, outputText);
  completion.usage = toOpenAIUsage(settled);
  completion.model = target.model.id;
  record.row.finish_reason = completion.choices[0]?.finish_reason ?? null;
  if (g.config.server.log_content) record.row.response_text = outputText;
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
}

async function streamCompletion(
  g: Gateway,
  req: FastifyRequest,
  reply: FastifyReply,
  body: ChatRequest,
  plan: RoutePlan,
): Promise<void> {
  const record = req.record;
  const outcome = await callUpstream(g, req, body, plan, attemptStream);
  const open = outcome.value;
  const target = outcome.target;
  finishTiming(record);
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    trailer: 'x-aigw-cost-usd, x-aigw-overhead-ms',
    ...gatewayHeaders(record, target, plan.decision, g.simulated, { streaming: true }),
  });

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
  recordRequest(g, record);
}

/** Tries the plan's targets with retries, fallback and breakers; throws the client-facing error if none answers. */
async function callUpstream<T>(
  g: Gateway,
  req: FastifyRequest,
  body: ChatRequest,
  plan: RoutePlan,
  attempt: (ctx: AttemptContext, target: UpstreamTarget) => Promise<T>,
): Promise<Extract<FallbackOutcome<T>, { ok: true }>> {
  const ctx: AttemptContext = {
    upstream: g.upstream,
    body,
    record: req.record,
    defaultTimeoutMs: g.config.reliability.default_timeout_ms,
    simHeaders: simControlHeaders(req.headers),
  };
  const outcome = await callWithFallback(plan.targets, (target) => attempt(ctx, target), {
    breakers: g.breakers,
    reliability: g.config.reliability,
  });
  noteAttempts(g, req.record, outcome);
  if (!outcome.ok) throw upstreamFailure(outcome);
  return outcome;
}

function noteAttempts(g: Gateway, record: RequestRecord, outcome: FallbackOutcome<unknown>): void {
  record.row.attempts = outcome.attempts.length;
  for (const a of outcome.attempts) {
    if (!a.ok) g.metrics.upstreamErrors.inc({ model: a.model, kind: a.errorKind ?? 'unknown' });
  }
  const last = outcome.attempts.at(-1);
  if (outcome.ok) {
    record.row.model_used = outcome.target.model.id;
    record.row.provider = outcome.target.provider.id;
  } else if (last) {
    record.row.model_used = last.model;
  }
}

/** The client-facing error for a request no candidate could answer. */
function upstreamFailure(outcome: Extract<FallbackOutcome<unknown>, { ok: false }>): GatewayError {
  const { error } = outcome;
  if (outcome.clientFault) {
    return new GatewayError(error.status >= 400 && error.status < 500 ? error.status : 400, 'invalid_request_error', error.message, {
      code: error.providerCode ?? error.kind,
    });
  }
  const tried = [...new Set(outcome.attempts.map((a) => a.model))].join(', ');
  const detail = `${error.message} (tried: ${tried || 'none'})`;
  const allTimeouts = outcome.attempts.length > 0 && outcome.attempts.every((a) => a.errorKind === 'timeout');
  if (outcome.attempts.length > 0 && outcome.attempts.every((a) => a.errorKind === 'context_length')) {
    return new GatewayError(400, 'invalid_request_error', `The prompt is too long for every candidate model: ${detail}`, {
      param: 'messages',
      code: 'context_length_exceeded',
    });
  }
  return allTimeouts ? errors.upstreamTimeout(detail) : errors.noHealthyUpstream(detail);
}
