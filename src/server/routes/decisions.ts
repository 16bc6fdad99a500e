import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { GatewayError } from '../../util/errors.ts';

/** GET /v1/decisions/:requestId — the routing decision behind a request, for the admin or the key that made it. */
export function registerDecisionRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.get<{ Params: { requestId: string } }>('/v1/decisions/:requestId', async (req, reply) => {
    const g = gateway();
    await g.writer.flush();
    const request = await g.store.getRequest(req.params.requestId);
    const notFound = new GatewayError(404, 'not_found_error', `No routing decision for request '${req.params.requestId}'.`, {
      param: 'requestId',
      code: 'decision_not_found',
    });
    if (!request) throw notFound;
    // Another key's request is reported as absent, not forbidden: ids must not be probeable.
    if (!req.record.isAdmin && req.record.key && request.key_id !== req.record.key.id) throw notFound;
    const decision = await g.store.getDecisionByRequest(req.params.requestId);
    if (!decision) throw notFound;
    reply.send({
      id: decision.id,
      request_id: decision.request_id,
      created_at: new Date(decision.created_at).toISOString(),
      routing_model: decision.routing_model,
      task_type: decision.task_type,
      complexity: decision.complexity,
      goal: decision.goal,
      chosen_model: decision.chosen_model,
      model_used: request.model_used,
      candidates: JSON.parse(decision.candidates) as unknown,
      rules: JSON.parse(decision.rules) as unknown,
      fallbacks: JSON.parse(decision.fallbacks) as unknown,
      rationale: decision.rationale,
      router_version: decision.router_version,
      decision_us: decision.decision_us,
      language: decision.language,
      request: { status: request.status, cost_usd: request.cost_usd, latency_ms: request.latency_ms },
    });
  });
}
