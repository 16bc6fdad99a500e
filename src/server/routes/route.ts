import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { parseChatRequest } from '../../pipeline/parse-chat-request.ts';
import { planRoute } from '../../pipeline/plan-route.ts';

/** POST /v1/route — dry run: the routing decision for a chat-completions body, without calling any model. */
export function registerRouteDryRun(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/route', async (req, reply) => {
    const g = gateway();
    const body = parseChatRequest(req.body);
    const planned = planRoute(g, body, req.headers, req.record);
    const plan = planned instanceof Promise ? await planned : planned;
    const d = plan.decision;
    reply.send({
      model_requested: body.model,
      model: plan.targets[0]?.model.id ?? null,
      fallbacks: plan.targets.slice(1).map((t) => t.model.id),
      decision: d
        ? {
            id: d.id,
            task_type: d.taskType,
            complexity: d.complexity,
            goal: d.constraints.goal,
            constraints: d.constraints,
            chosen_model: d.chosenModel,
            technique: d.technique ?? null,
            candidates: d.candidates,
            rules: d.rulesFired,
            rationale: d.rationale,
            router_version: d.routerVersion,
            decision_us: d.decisionUs,
          }
        : null,
    });
  });
}
