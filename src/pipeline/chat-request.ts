import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { selectTechnique } from '../optimizer/optillm-conventions.ts';
import type { ChatCompletion, ChatRequest } from '../providers/chat-schema.ts';
import { SSE_RESPONSE_HEADERS } from '../providers/sse.ts';
import type { NormalizedUsage, UpstreamTarget } from '../providers/types.ts';
import { errors, GatewayError } from '../util/errors.ts';
import { accountUsage } from './accounting.ts';
import { attemptContext, callUpstream, noteAttempts, type AnsweredOutcome } from './call-upstream.ts';
import { budgetLimitsOf, enforceRateLimit, rateLimitThenReserve, reserveBudget, settleBudget, type Reservation } from './budget-guard.ts';
import type { ClientFormat } from './client-format/client-format.ts';
import type { Gateway } from './gateway-types.ts';
import { keepJudgeContent } from './keep-judge-content.ts';
import type { ClientGone } from './client-gone.ts';
import { runLoggedRequest } from './logged-request.ts';
import { chooseTechnique, completeOptimized, conventionDeps } from './optimized-completion.ts';
import { planRoute, type RoutePlan } from './plan-route.ts';
import { finishTiming, type RequestRecord } from './request-record.ts';
import { gatewayHeaders, recordBeforeAnswer, recordDecision, recordRequest } from './request-log.ts';
import { answerFromCache, lookupResponseCache, observeForCache, storeCompletion, storeStreamed, type CacheTicket } from './serve-from-cache.ts';
import { pipeStream, type StreamResult } from './stream-completion.ts';
import { keepToolCallSignal, type AnsweredToolCall } from './tool-call-signal.ts';
import { decisionAttributes } from './trace-spans.ts';
import type { TraceSpan } from '../telemetry/trace-types.ts';
import { attemptCompletion, attemptStream, simControlHeaders, type AttemptContext, type OpenStream } from './upstream-attempts.ts';

/**
 * One chat request, whatever format the client spoke (OpenAI chat completions, Anthropic Messages),
 * top to bottom: validate → rate limit → route → reserve budget → call upstream with retries, fallback
 * and breakers → account usage and cost → settle budget → respond in the client's format → log
 * (batched). A request with a technique (OptiLLM selector or the router's choice) branches after
 * routing to completeOptimized, which runs these steps for every call of the technique and sums them.
 */
export async function handleChatRequest(g: Gateway, req: FastifyRequest, reply: FastifyReply, asked: ChatRequest, format: ClientFormat): Promise<void> {
  await runLoggedRequest(g, req, reply, async (gone) => {
    const record = req.record;
    noteRequest(g, record, asked);
    // OptiLLM technique selectors (model prefix, optillm_approach, <optillm_approach> tag) come off here.
    const { request: body, selection } = selectTechnique(asked, conventionDeps(g));

    if (!selection && guardsInOneTrip(g, record, body)) {
      // Same outcomes as the steps below (no technique, no cache, no decision row for a named model).
      const plan = await namedPlanBehindRateLimit(g, record, body, req);
      const reservation = await rateLimitThenReserve(g, record, body, plan.targets);
      const cache = await lookupResponseCache(g, reply, body, plan);
      await completeReserved({ g, req, reply, body, plan, gone, cache, format }, reservation);
      return;
    }
    // Without a key there is no limit and no budget: the keyless path skips their (empty) turns.
    if (record.key) await enforceRateLimit(g, record);
    // A client's technique serves n from its own samples, so the model needs no upstream n.
    const planned = tracedPlan(g, record, selection && selection.spec !== 'none' ? { ...body, n: undefined } : body, req);
    const plan = planned instanceof Promise ? await planned : planned;
    if (plan.decision) recordDecision(g, plan.decision, record);
    const technique = chooseTechnique(g, record, selection, plan, body);
    if (technique) {
      await completeOptimized(g, req, reply, body, plan, technique, gone.signal, format);
      return;
    }
    // Exact-match cache: after routing (the key names the model), before any budget is held.
    const looked = lookupResponseCache(g, reply, body, plan);
    const cache = looked instanceof Promise ? await looked : looked;
    if (cache.hit) {
      answerFromCache(g, reply, body, plan, cache, format);
      return;
    }
    const reservation = record.key ? await reserveBudget(g, record, body, plan.targets) : undefined;
    await completeReserved({ g, req, reply, body, plan, gone, cache, format }, reservation);
  });
}

/**
 * A keyed request with both a rate limit and a budget, to a named model, with the response cache
 * off: its plan is known before the rate limit without side effects, so the rate limit and the
 * reservation can share one Redis round trip (rateLimitThenReserve).
 */
function guardsInOneTrip(g: Gateway, record: RequestRecord, body: ChatRequest): boolean {
  if (!record.key?.rpm_limit || !budgetLimitsOf(record.key)) return false;
  return !g.config.cache.enabled && !g.catalog.isVirtual(body.model);
}

/** A named model's plan; a request it refuses (unknown model, bad n) is rate limited first, as in the sequential path. */
async function namedPlanBehindRateLimit(g: Gateway, record: RequestRecord, body: ChatRequest, req: FastifyRequest): Promise<RoutePlan> {
  try {
    return await planRoute(g, body, req.headers, record);
  } catch (err) {
    await enforceRateLimit(g, record);
    throw err;
  }
}

/** Calls upstream with the budget held, and settles it whatever happens; without a reservation, just calls. */
function completeReserved(call: CompletionCall, reservation: Reservation | undefined): Promise<void> {
  if (!reservation) return call.body.stream === true ? streamCompletion(call) : completeOnce(call);
  return completeThenSettle(call, reservation);
}

async function completeThenSettle(call: CompletionCall, reservation: Reservation): Promise<void> {
  const { g, body, reply } = call;
  try {
    if (body.stream === true) await streamCompletion(call);
    else await completeOnce(call);
  } finally {
    await settleBudget(g, reservation, reply.request.record);
  }
}

function noteRequest(g: Gateway, record: RequestRecord, asked: ChatRequest): void {
  record.row.model_requested = asked.model;
  record.row.stream = asked.stream === true;
  if (asked.metadata) record.row.metadata = JSON.stringify(asked.metadata);
  if (g.config.server.log_content) record.row.prompt_text = JSON.stringify(asked.messages);
  record.trace?.rename(`chat ${asked.model}`);
  record.trace?.set({
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': asked.model,
    'gen_ai.request.max_tokens': asked.max_completion_tokens ?? asked.max_tokens ?? undefined,
    'gen_ai.request.temperature': asked.temperature ?? undefined,
    'gen_ai.request.top_p': asked.top_p ?? undefined,
    'aigw.routing_model': g.catalog.isVirtual(asked.model) ? asked.model : undefined,
    'aigw.stream': asked.stream === true,
  });
}

/**
 * The route plan, with the routing decision as a child span of the request when tracing. Without a
 * span (a named model, or no tracing) a plan known at once is returned as is, without a promise.
 */
function tracedPlan(g: Gateway, record: RequestRecord, body: ChatRequest, req: FastifyRequest): RoutePlan | Promise<RoutePlan> {
  const span = g.catalog.isVirtual(body.model) ? record.trace?.child(`route ${body.model}`, 'internal') : undefined;
  if (span) return planInSpan(g, record, body, req, span);
  const planned = planRoute(g, body, req.headers, record);
  return planned instanceof Promise ? planned.then((plan) => traceDecision(record, plan)) : traceDecision(record, planned);
}

async function planInSpan(g: Gateway, record: RequestRecord, body: ChatRequest, req: FastifyRequest, span: TraceSpan): Promise<RoutePlan> {
  try {
    const planned = planRoute(g, body, req.headers, record);
    const plan = planned instanceof Promise ? await planned : planned;
    if (plan.decision) span.set(decisionAttributes(plan.decision));
    return traceDecision(record, plan);
  } catch (err) {
    span.fail(err instanceof GatewayError ? (err.code ?? err.type) : 'internal_error', err instanceof Error ? err.message : undefined);
    throw err;
  } finally {
    span.end();
  }
}

/** The decision's attributes on the request's span, when tracing. */
function traceDecision(record: RequestRecord, plan: RoutePlan): RoutePlan {
  if (plan.decision)
    record.trace?.set({
      'aigw.task_type': plan.decision.taskType,
      'aigw.route_rule': plan.decision.rulesFired.join(',') || 'default',
      'aigw.decision_id': plan.decision.id,
    });
  return plan;
}

/** One routed chat request on its way upstream: what both answer paths (plain and streamed) need. */
interface CompletionCall {
  g: Gateway;
  req: FastifyRequest;
  reply: FastifyReply;
  body: ChatRequest;
  plan: RoutePlan;
  gone: ClientGone;
  cache: CacheTicket;
  format: ClientFormat;
}

async function completeOnce({ g, reply, body, plan, gone, cache, format }: CompletionCall): Promise<void> {
  const record = reply.request.record;
  const outcome = await callPlan(g, reply.request, body, plan, attemptCompletion, gone);
  const { completion, usage } = outcome.value;
  const target = outcome.target;
  const { outputText, toolCalls } = answerParts(completion.choices);
  // The client's format writes the settled usage (OpenAI's with `cost`); the completion's own is not read.
  const settled = accountUsage(record, target, body, usage, outputText);
  completion.model = target.model.id;
  record.row.finish_reason = completion.choices[0]?.finish_reason ?? null;
  if (g.config.server.log_content) record.row.response_text = outputText;
  keepJudgeContent(g, record, body.messages, outputText);
  keepToolCallSignal(record, body.tools, toolCalls);
  record.row.status = 200;
  g.liveStats.record(target.model.id, {
    ttftMs: Number(record.upstreamNs) / 1e6,
    outputTokens: settled.outputTokens,
    durationMs: Number(record.upstreamNs) / 1e6,
    ok: true,
  });
  finishTiming(record);
  reply.headers(gatewayHeaders(record, target, plan.decision, g.simulated));
  if (g.config.resilience.durable_writes) await recordBeforeAnswer(g, record);
  reply.header('content-type', 'application/json').send(JSON.stringify(format.answer(completion, settled, record.row.cost_usd, record.row.id)));
  storeCompletion(g, cache, completion, target, record);
}

const NO_TOOL_CALLS: readonly AnsweredToolCall[] = [];

/** The answer's text (every choice's content and tool-call arguments, in order) and its tool calls, in one pass. */
function answerParts(choices: ChatCompletion['choices']): { outputText: string; toolCalls: readonly AnsweredToolCall[] } {
  let outputText = '';
  let toolCalls: AnsweredToolCall[] | undefined;
  for (const c of choices) {
    outputText += c.message.content ?? '';
    const calls = c.message.tool_calls;
    if (!calls) continue;
    for (const t of calls) {
      outputText += t.function?.arguments ?? '';
      (toolCalls ??= []).push(t);
    }
  }
  return { outputText, toolCalls: toolCalls ?? NO_TOOL_CALLS };
}

async function streamCompletion({ g, req, reply, body, plan, gone, cache, format }: CompletionCall): Promise<void> {
  const record = req.record;
  const outcome = await callPlan(g, req, body, plan, attemptStream, gone, true);
  const open = observeForCache(cache, outcome.value);
  const target = outcome.target;
  const breaker = g.breakers.get(target.model.id);
  if (gone.aborted) {
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
    await relayStream(g, open, body, out, record, format);
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

async function relayStream(g: Gateway, open: OpenStream, body: ChatRequest, out: ServerResponse, record: RequestRecord, format: ClientFormat): Promise<void> {
  const target = open.target;
  let settled: NormalizedUsage | undefined;
  const settle = (r: StreamResult) => (settled ??= accountUsage(record, target, body, r.usage, r.outputText));
  const writer = format.streamWriter({ body, requestId: record.row.id, model: target.model.id });
  const result = await pipeStream(open, writer, out, record, settle);
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
  if (!result.failure)
    keepToolCallSignal(
      record,
      body.tools,
      result.toolCalls.map((c) => ({ function: c })),
    );
  g.liveStats.record(target.model.id, {
    ttftMs: result.firstTokenAtNs !== undefined ? Number(result.firstTokenAtNs - open.headersAtNs) / 1e6 : undefined,
    outputTokens: record.row.output_tokens,
    durationMs: Number(process.hrtime.bigint() - open.headersAtNs) / 1e6,
    ok: result.failure === undefined,
  });
  finishTiming(record);
  await recordBeforeAnswer(g, record);
  if (!out.destroyed) {
    out.addTrailers({
      'x-aigw-cost-usd': record.row.cost_usd.toFixed(10),
      'x-aigw-overhead-ms': record.row.overhead_ms.toFixed(3),
    });
    out.end();
  }
}

/** The plan's targets through callUpstream (src/pipeline/call-upstream.ts); the row gets the attempts and the model that answered. */
function callPlan<T>(
  g: Gateway,
  req: FastifyRequest,
  body: ChatRequest,
  plan: RoutePlan,
  attempt: (ctx: AttemptContext, target: UpstreamTarget) => Promise<T>,
  gone: ClientGone,
  callerRecordsSuccess = false,
): Promise<AnsweredOutcome<T>> {
  const record = req.record;
  const ctx = attemptContext(g, body, record, simControlHeaders(req.headers), gone);
  return callUpstream(g, plan.targets, (target) => attempt(ctx, target), {
    signal: gone,
    callerRecordsSuccess,
    trace: record.trace,
    onOutcome: (o) => noteAttempts(record, o),
  });
}
