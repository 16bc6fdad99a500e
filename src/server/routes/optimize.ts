import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TaskType } from '../../config/enums.ts';
import { formatPath } from '../../config/load-config.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { recommend, type RoutingView } from '../../optimizer/recommend/recommend.ts';
import type { ChatRequest } from '../../providers/chat-schema.ts';
import type { RouteDecision } from '../../router/types.ts';
import { errors } from '../../util/errors.ts';
import { parseChatRequest } from '../../pipeline/parse-chat-request.ts';
import { planRoute, routerInput } from '../../pipeline/plan-route.ts';
import type { RequestRecord } from '../../pipeline/request-record.ts';

/** A routing decision as `POST /v1/route` returns it (the fields the recommender reads). */
export const DecisionInput = z.looseObject({
  task_type: TaskType,
  chosen_model: z.string().min(1),
  constraints: z.looseObject({ minQuality: z.number().min(0).max(1) }),
  candidates: z.array(
    z.looseObject({
      model: z.string(),
      predictedQuality: z.number(),
      estCostUsd: z.number(),
      estLatencyMs: z.number(),
      score: z.number(),
      eligible: z.boolean(),
      reason: z.string().optional(),
    }),
  ),
  technique: z.strictObject({ spec: z.string().min(1), options: z.record(z.string(), z.number()) }).optional(),
  router_version: z.string().default('caller'),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

/** Where a request routed by name is compared: the routing model `auto` when configured, else the first one. */
function comparisonRoutingModel(g: Gateway): string | undefined {
  const names = Object.keys(g.config.routing.virtual_models);
  return names.includes('auto') ? 'auto' : names[0];
}

function viewOf(d: RouteDecision): RoutingView {
  return { chosenModel: d.chosenModel, technique: d.technique, minQuality: d.constraints.minQuality, candidates: d.candidates, routerVersion: d.routerVersion };
}

function viewOfInput(d: DecisionInput): RoutingView {
  return {
    chosenModel: d.chosen_model,
    technique: d.technique,
    minQuality: d.constraints.minQuality,
    candidates: d.candidates,
    routerVersion: d.router_version,
  };
}

function parseDecision(raw: unknown): DecisionInput {
  const result = DecisionInput.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  const param = path && path !== '(root)' ? `decision.${path}` : 'decision';
  throw errors.invalidField(param, `Invalid value for '${param}': ${issue?.message ?? 'invalid'}.`);
}

interface Routed {
  taskType: TaskType;
  routing: RoutingView | undefined;
  decision: RouteDecision | undefined;
}

/** The router's decision for the request, in-process: for a routing model its own, for a named model what `auto` would pick. */
async function decide(g: Gateway, body: ChatRequest, headers: Parameters<typeof planRoute>[2], record: RequestRecord): Promise<Routed> {
  if (g.catalog.isVirtual(body.model)) {
    const plan = await planRoute(g, body, headers, record);
    const d = plan.decision!;
    return { taskType: d.taskType, routing: viewOf(d), decision: d };
  }
  const routingModel = comparisonRoutingModel(g);
  const outcome = g.router.decide(routerInput(body, headers, record, routingModel ?? body.model));
  if (!outcome.ok) return { taskType: outcome.taskType, routing: undefined, decision: undefined };
  return { taskType: outcome.decision.taskType, routing: routingModel ? viewOf(outcome.decision) : undefined, decision: outcome.decision };
}

/**
 * POST /v1/optimize — recommendations for a chat-completions body: temperature/top_p for its task
 * type, max_tokens sized from the completion lengths observed for it, a technique or a different model
 * from the router's decision, each with its expected effect on cost and quality and its evidence.
 * Optional body field `decision`: a decision as `POST /v1/route` returned it, used instead of deciding
 * again. Nothing is called upstream and nothing is logged as spend.
 */
export function registerOptimizeRoute(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/optimize', async (req, reply) => {
    const g = gateway();
    const raw = req.body;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalidField('body', 'Request body must be a JSON object.');
    const { decision: rawDecision, ...chatBody } = raw as Record<string, unknown>;
    const body = parseChatRequest(chatBody);
    const isVirtual = g.catalog.isVirtual(body.model);
    const requestedModel = isVirtual ? undefined : g.catalog.target(body.model)?.model;
    if (!isVirtual && !requestedModel) throw errors.modelNotFound(body.model);

    let routed: Routed;
    if (rawDecision !== undefined) {
      const given = parseDecision(rawDecision);
      routed = { taskType: given.task_type, routing: viewOfInput(given), decision: undefined };
    } else {
      routed = await decide(g, body, req.headers, req.record);
    }
    const recommendations = recommend({
      request: body,
      taskType: routed.taskType,
      requestedModel,
      routing: routed.routing,
      lengths: (taskType, model) => g.observedLengths.get(taskType, model),
      sizing: g.config.optimizer.max_tokens,
      modelById: (id) => g.catalog.target(id)?.model,
    });
    const d = routed.decision;
    reply.send({
      object: 'optimization.recommendations',
      model_requested: body.model,
      ...recommendations,
      decision: d ? { id: d.id, chosen_model: d.chosenModel, technique: d.technique ?? null, rationale: d.rationale, router_version: d.routerVersion } : null,
      lengths_observed_at: g.observedLengths.refreshedAtMs > 0 ? new Date(g.observedLengths.refreshedAtMs).toISOString() : null,
    });
  });
}
