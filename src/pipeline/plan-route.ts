import type { IncomingHttpHeaders } from 'node:http';
import type { Gateway } from './gateway-types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { parseRoutingOverrides } from '../router/policy/parse-overrides.ts';
import type { RouteDecision, RouteInput } from '../router/types.ts';
import type { RouteOutcome, RouterInput } from '../router/router.ts';
import { errors, GatewayError } from '../util/errors.ts';
import type { RequestRecord } from './request-record.ts';

export interface RoutePlan {
  targets: UpstreamTarget[];
  decision: RouteDecision | undefined;
  /** Set when the router chose "cheap model + technique": the request runs it exactly as if the client had asked. */
  technique?: { spec: string; options: Record<string, number> };
}

/** Capabilities a request needs from its model, so the router never picks one that cannot serve it. */
export function requiredCapabilities(body: ChatRequest): string[] {
  const caps: string[] = [];
  if (body.tools?.length) caps.push('tools');
  if (body.response_format && body.response_format.type !== 'text') caps.push('json');
  const hasImage = body.messages.some((m) => Array.isArray(m.content) && m.content.some((part) => part.type === 'image_url'));
  if (hasImage) caps.push('vision');
  if ((body.n ?? 1) > 1) caps.push('n');
  return caps;
}

/** A named model and the fallbacks that can serve the request's n; n > 1 on a model without it is the client's to fix. */
function namedTargets(g: Gateway, body: ChatRequest): UpstreamTarget[] {
  const targets = g.catalog.withFallbacks(body.model).filter((t) => t.model.kind === 'chat');
  if (targets.length === 0) {
    if (g.catalog.target(body.model)) throw errors.invalidField('model', `'${body.model}' is an embedding model; send it to POST /v1/embeddings.`);
    throw errors.modelNotFound(body.model);
  }
  const missingEnv = g.catalog.missingKeyEnv(body.model);
  if (missingEnv) throw errors.providerKeyMissing(body.model, missingEnv);
  if ((body.n ?? 1) <= 1) return targets;
  if (!targets[0]!.model.supports_n) {
    throw errors.invalidField(
      'n',
      `Model '${body.model}' cannot return n > 1 choices in one request (its upstream has no n); send n separate requests, or use a model with supports_n.`,
    );
  }
  return targets.filter((t) => t.model.supports_n);
}

/** What the router decides on for a request: its messages, the key, the client's overrides (a bad one is a 400). */
export function routerInput(body: ChatRequest, headers: IncomingHttpHeaders, record: RequestRecord, routingModel: string): RouteInput {
  const overrides = parseRoutingOverrides(headers, body.aigw);
  if (!overrides.ok) throw errors.invalidField(overrides.error.param, overrides.error.message);
  return {
    routingModel,
    messages: body.messages,
    maxOutputTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    keyId: record.key?.id,
    keyName: record.key?.name,
    team: record.key?.team ?? undefined,
    metadata: body.metadata,
    overrides: overrides.overrides,
    requiredCapabilities: requiredCapabilities(body),
    budgeted: record.key ? record.key.budget_daily_usd !== null || record.key.budget_monthly_usd !== null : false,
  };
}

/**
 * A named model goes to itself and its configured fallbacks; a routing model (`auto`, `auto-cost`, …)
 * asks the router, whose decision is logged with the request.
 */
export function planRoute(g: Gateway, body: ChatRequest, headers: IncomingHttpHeaders, record: RequestRecord): RoutePlan | Promise<RoutePlan> {
  const catalog = g.catalog;
  if (!catalog.isVirtual(body.model)) return { targets: namedTargets(g, body), decision: undefined };
  const input: RouterInput = routerInput(body, headers, record, body.model);
  input.requestId = record.row.id;
  const outcome = g.router.decide(input);
  // The built-in router stays synchronous; only an external backend makes the plan wait.
  if (g.routingBackend.name === 'builtin') return planFromOutcome(g, outcome, record);
  return g.routingBackend.decide(input, outcome).then((final) => planFromOutcome(g, final, record));
}

function planFromOutcome(g: Gateway, outcome: RouteOutcome, record: RequestRecord): RoutePlan {
  g.metrics.routingDecisionSeconds.observe(outcome.decisionUs / 1e6);
  if (!outcome.ok) {
    if (outcome.httpStatus === 503) throw errors.noHealthyUpstream(outcome.message);
    throw new GatewayError(400, 'invalid_request_error', outcome.message, { code: 'no_eligible_model' });
  }
  const decision = outcome.decision;
  record.row.task_type = decision.taskType;
  record.row.decision_id = decision.id;
  const targets = [decision.chosenModel, ...decision.fallbacks]
    .filter((id) => g.catalog.missingKeyEnv(id) === undefined)
    .map((id) => g.catalog.target(id))
    .filter((t): t is UpstreamTarget => t !== undefined);
  return decision.technique ? { targets, decision, technique: decision.technique } : { targets, decision };
}
