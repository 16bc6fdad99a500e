import type { FastifyReply, FastifyRequest } from 'fastify';
import { countMessageTokens } from '../costs/estimate-tokens.ts';
import { maxCostUsd } from '../costs/max-cost.ts';
import type { Gateway } from './gateway-types.ts';
import type { ConventionDeps, TechniqueSelection } from '../optimizer/optillm-conventions.ts';
import type { OptimizedAnswer, TechniqueBounds } from '../optimizer/types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { mostCostUsd, reserveBudgetUsd, settleBudget } from './budget-guard.ts';
import { GatewayError } from '../util/errors.ts';
import { createGatewayComplete, type CallLedger } from './gateway-complete.ts';
import { optimizationJson } from './optimization-record.ts';
import { clientFinishReason, optimizedCompletion, type OptimizedReply } from './optimized-response.ts';
import { SSE_RESPONSE_HEADERS } from '../providers/sse.ts';
import type { ClientFormat } from './client-format/client-format.ts';
import type { RoutePlan } from './plan-route.ts';
import { applyUsage, finishTiming, type RequestRecord } from './request-record.ts';
import { keepJudgeContent } from './keep-judge-content.ts';
import { gatewayHeaders, headerSafe, recordBeforeAnswer, recordRequest } from './request-log.ts';
import { boundsOf, maxChoicesOf, runTechnique, techniqueNames } from './technique-runner.ts';
import { simControlHeaders } from './upstream-attempts.ts';

/**
 * The optimized request path: a technique (chosen by the client through an OptiLLM convention, or by
 * the router as "cheap model + technique") runs over the gateway's own providers. Every upstream
 * call is retried, priced and summed into one request row; the client gets one OpenAI answer (or
 * stream) with the summed usage, and the row's `optimization` column says what ran and what it cost.
 */

/** What the OptiLLM conventions need from the gateway: technique names and what counts as a model. */
export function conventionDeps(g: Pick<Gateway, 'catalog'>): ConventionDeps {
  // Asked on every chat request: built once per catalog (a reload makes a new one).
  let deps = depsByCatalog.get(g.catalog);
  if (!deps) {
    const catalog = g.catalog;
    deps = { techniques: techniqueNames(), resolvesModel: (id) => catalog.target(id) !== undefined || catalog.isVirtual(id) };
    depsByCatalog.set(catalog, deps);
  }
  return deps;
}

const depsByCatalog = new WeakMap<Gateway['catalog'], ConventionDeps>();

/**
 * The technique this request runs, if any: the client's choice wins over the router's; `none` is a
 * plain call. A client's selector is refused when the optimizer is off for its key; the router's is
 * then just dropped, since the client never asked for it.
 */
export function chooseTechnique(
  g: Pick<Gateway, 'config'>,
  record: Pick<RequestRecord, 'key'>,
  selection: TechniqueSelection | undefined,
  plan: RoutePlan,
  body?: ChatRequest,
): TechniqueSelection | undefined {
  const off = optimizerOffReason(g, record);
  if (selection) {
    if (selection.spec === 'none') return undefined;
    if (off) throw new GatewayError(400, 'invalid_request_error', `Technique '${selection.spec}' was asked for, but ${off}.`, { code: 'optimizer_disabled' });
    return selection;
  }
  // The router does not see what a technique cannot serve (tools, more choices than it returns):
  // its pairing is then dropped and its plain chosen model answers, as the client asked for nothing else.
  if (plan.technique && !off && (!body || unsupportedReason(body, plan.technique.spec, plan.technique.options) === undefined)) {
    return { ...plan.technique, source: 'router' };
  }
  return undefined;
}

function optimizerOffReason(g: Pick<Gateway, 'config'>, record: Pick<RequestRecord, 'key'>): string | undefined {
  const cfg = g.config.optimizer;
  if (!cfg.enabled) return 'the optimizer is off on this gateway (optimizer.enabled: false)';
  const key = record.key;
  if (key && (cfg.disabled_keys.includes(key.id) || cfg.disabled_keys.includes(key.name))) {
    return `the optimizer is off for this API key ('${key.name}' is in optimizer.disabled_keys)`;
  }
  return undefined;
}

export async function completeOptimized(
  g: Gateway,
  req: FastifyRequest,
  reply: FastifyReply,
  body: ChatRequest,
  plan: RoutePlan,
  selection: TechniqueSelection,
  signal: AbortSignal,
  format: ClientFormat,
): Promise<void> {
  const record = req.record;
  const bounds = checkedBounds(g, body, selection);
  const reservation = await reserveBudgetUsd(g, record, reserveUsd(body, bounds, plan.targets));
  // The technique is one span; each of its calls a child, with that call's upstream attempts below it.
  const span = record.trace?.child(`technique ${selection.spec}`, 'internal', { 'aigw.technique': selection.spec, 'aigw.technique_source': selection.source });
  try {
    const { complete, ledger } = createGatewayComplete({
      g,
      request: body,
      targets: plan.targets,
      record,
      simHeaders: simControlHeaders(req.headers),
      signal,
      trace: span,
    });
    const facts = {
      technique: selection.spec,
      source: selection.source,
      options: selection.options,
      decision: plan.decision,
      request: body,
      bounds,
      ledger,
      primary: plan.targets[0],
    };
    let answer: OptimizedAnswer;
    try {
      answer = await runTechnique(selection.spec, { request: body, complete, options: selection.options, signal });
    } catch (err) {
      // The calls made before the failure were billed upstream: the row keeps them.
      stampSpend(record, ledger);
      record.row.optimization = JSON.stringify(optimizationJson({ ...facts, error: err instanceof Error ? err.message : String(err) }));
      span?.fail('technique_failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
    stampSpend(record, ledger);
    record.row.optimization = JSON.stringify(optimizationJson(facts));
    span?.set({ 'aigw.upstream_calls': ledger.upstreamRequests, 'aigw.cost_usd': ledger.costUsd });
    record.trace?.set({ 'aigw.technique': selection.spec });
    await respond(g, reply, body, plan, selection, ledger, answer, format);
  } finally {
    span?.end();
    await settleBudget(g, reservation, record);
  }
}

/** The technique's stated bounds, after the refusals that need no upstream call. */
function checkedBounds(g: Gateway, body: ChatRequest, selection: TechniqueSelection): TechniqueBounds {
  const bounds = boundsOf(selection.spec, body, selection.options);
  const unsupported = unsupportedReason(body, selection.spec, selection.options);
  if (unsupported) throw new GatewayError(400, 'invalid_request_error', unsupported.message, { param: unsupported.param, code: 'unsupported_with_technique' });
  const capRequests = g.config.optimizer.max_upstream_requests;
  if (bounds.maxUpstreamRequests > capRequests) {
    throw new GatewayError(
      400,
      'invalid_request_error',
      `Technique '${selection.spec}' may make up to ${bounds.maxUpstreamRequests} upstream requests with these options; this gateway allows ${capRequests} (optimizer.max_upstream_requests).`,
      { param: 'optillm_options', code: 'technique_over_limit' },
    );
  }
  return bounds;
}

async function respond(
  g: Gateway,
  reply: FastifyReply,
  body: ChatRequest,
  plan: RoutePlan,
  selection: TechniqueSelection,
  ledger: CallLedger,
  answer: OptimizedAnswer,
  format: ClientFormat,
): Promise<void> {
  const record = reply.request.record;
  const finishReason = clientFinishReason(answer.finishReason);
  record.row.finish_reason = finishReason;
  if (g.config.server.log_content) record.row.response_text = answer.answer;
  keepJudgeContent(g, record, body.messages, answer.answer);
  record.row.status = 200;
  const target = ledger.lastTarget ?? plan.targets[0];
  const out: OptimizedReply = {
    id: `chatcmpl-${record.row.id}`,
    created: Math.floor(Date.now() / 1000),
    model: target?.model.id ?? body.model,
    answer: answer.answer,
    finishReason,
    // n > 1: the next best answers of the same run (checked against the technique's maximum up front).
    alternatives: (answer.alternatives ?? [])
      .slice(0, Math.max(0, (body.n ?? 1) - 1))
      .map((a) => ({ answer: a.answer, finishReason: clientFinishReason(a.finishReason) })),
    usage: ledger.usage,
  };
  finishTiming(record);
  const headers = { ...gatewayHeaders(record, target, plan.decision, g.simulated), ...techniqueHeaders(selection, ledger) };
  // Every call is done: with durable_writes the row is written before the first byte.
  await recordBeforeAnswer(g, record);
  if (body.stream === true) streamAnswer(g, reply, out, body, headers, format);
  else sendAnswer(reply, out, headers, format);
}

/**
 * Why the technique cannot serve this request, if it cannot: techniques answer in text (no tools), and
 * n choices come from one run's own answers (a vote's samples), never from running it n times.
 */
function unsupportedReason(body: ChatRequest, spec: string, options: Readonly<Record<string, number>>): { param: string; message: string } | undefined {
  if (body.tools?.length) return { param: 'tools', message: `tools are not supported with technique '${spec}': techniques answer in text.` };
  const n = body.n ?? 1;
  if (n <= 1) return undefined;
  const most = maxChoicesOf(spec, options);
  if (n <= most) return undefined;
  return {
    param: 'n',
    message:
      most === 1
        ? `n > 1 is not supported with technique '${spec}': it returns one answer (running it n times would cost n times as much). self_consistency and majority_voting, or a pipeline ending in one, return up to k choices from their samples.`
        : `n = ${n} is more than technique '${spec}' returns from one run (${most} samples, set by its option k); raise k or lower n.`,
  };
}

/** Instruction text a technique wraps around the question (rephrase, critique, rate…), allowed per call. */
const TECHNIQUE_TEMPLATE_TOKENS = 512;

/**
 * The most the technique should cost: every one of its upstream requests with a prompt of the
 * client's prompt twice (re2 restates it), every answer generated before it (moa, bon rating calls
 * quote them) and the technique's instructions, plus all the completion tokens it may ask for,
 * at the dearest candidate's prices.
 */
function reserveUsd(body: ChatRequest, bounds: TechniqueBounds, targets: readonly UpstreamTarget[]): number {
  const promptTokens = countMessageTokens(body.messages, body.tools);
  const perCallPromptTokens = 2 * promptTokens + bounds.maxCompletionTokens + TECHNIQUE_TEMPLATE_TOKENS;
  return mostCostUsd(targets, (t) => maxCostUsd(bounds.maxUpstreamRequests * perCallPromptTokens, bounds.maxCompletionTokens, t.model.pricing));
}

function stampSpend(record: RequestRecord, ledger: CallLedger): void {
  applyUsage(record.row, ledger.usage, ledger.costUsd, ledger.estimated);
  record.row.attempts = ledger.attempts;
  if (ledger.lastTarget) {
    record.row.model_used = ledger.lastTarget.model.id;
    record.row.provider = ledger.lastTarget.provider.id;
  }
}

function techniqueHeaders(selection: TechniqueSelection, ledger: CallLedger): Record<string, string> {
  return {
    'x-aigw-technique': headerSafe(selection.spec),
    'x-aigw-technique-source': selection.source,
    'x-aigw-upstream-calls': String(ledger.upstreamRequests),
  };
}

function sendAnswer(reply: FastifyReply, out: OptimizedReply, headers: Record<string, string>, format: ClientFormat): void {
  const row = reply.request.record.row;
  reply.headers(headers);
  reply.header('content-type', 'application/json').send(JSON.stringify(format.answer(optimizedCompletion(out), out.usage, row.cost_usd, row.id)));
}

/** Every call is done before the first byte, so cost and usage go in the headers, not trailers. */
function streamAnswer(g: Gateway, reply: FastifyReply, out: OptimizedReply, body: ChatRequest, headers: Record<string, string>, format: ClientFormat): void {
  const record = reply.request.record;
  reply.hijack();
  const raw = reply.raw;
  try {
    raw.writeHead(200, { ...SSE_RESPONSE_HEADERS, ...headers });
    const events = format.wholeStream(optimizedCompletion(out), out.usage, record.row.cost_usd, { body, requestId: record.row.id });
    for (const [i, event] of events.entries()) {
      raw.write(event);
      if (i === 1) record.row.ttft_ms = Number(process.hrtime.bigint() - record.startNs) / 1e6;
    }
    finishTiming(record);
    raw.end();
  } catch (err) {
    g.logger.error({ err, requestId: record.row.id }, 'writing an optimized stream failed');
    record.row.status = 500;
    record.row.error_type = 'internal_error';
    raw.destroy();
  } finally {
    recordRequest(g, record);
  }
}
