import { extractBearerToken, isAdminKey } from '../../auth/key-resolver.ts';
import { GatewayError } from '../../util/errors.ts';
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../pipeline/gateway-types.ts';

/** GET /v1/models, /health, /metrics. */
export function registerInfoRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.get('/v1/models', async (_req, reply) => {
    const g = gateway();
    const created = Math.floor(Date.now() / 1000);
    const data = [
      ...g.catalog.models.map((m) => ({
        id: m.id,
        object: 'model' as const,
        created,
        owned_by: m.provider,
        aigw: {
          kind: m.kind,
          tier: m.tier,
          pricing_usd_per_mtok: m.pricing,
          context_window: m.context_window,
          max_output_tokens: m.max_output_tokens,
          capabilities: m.capabilities,
          simulated: g.catalog.target(m.id)?.provider.simulated ?? false,
          ...availability(g.catalog.missingKeyEnv(m.id)),
        },
      })),
      ...Object.entries(g.config.routing.virtual_models).map(([id, vm]) => ({
        id,
        object: 'model' as const,
        created,
        owned_by: 'aigw-router',
        aigw: { routing: true, goal: vm.goal, description: vm.description ?? `Routes to the best model for goal '${vm.goal}'.` },
      })),
    ];
    reply.send({ object: 'list', data });
  });

  app.get('/health', async (_req, reply) => {
    const g = gateway();
    const now = Date.now();
    const down = g.health.downComponents();
    reply.send({
      // Degraded: answering, without a dependency (docs/operations.md says what that changes).
      status: down.length > 0 ? 'degraded' : 'ok',
      degraded: down,
      components: g.health.snapshot(),
      models: g.catalog.models.length,
      simulated: g.simulated,
      store: g.store.dialect,
      open_breakers: g.breakers.openModels(now),
      writer: g.writer.counters,
    });
  });

  app.get('/metrics', async (req, reply) => {
    const g = gateway();
    // Compared like the admin key (constant time); without a configured token /metrics is public.
    if (g.metricsToken && !isAdminKey(extractBearerToken(req.headers.authorization), g.metricsToken)) {
      throw new GatewayError(401, 'authentication_error', 'This route requires the metrics token: send it as "Authorization: Bearer <token>".', {
        code: 'metrics_token_required',
      });
    }
    reply.type(g.metrics.registry.contentType).send(await g.metrics.render());
  });
}

/** Listed either way; unavailable while its provider's API key variable is unset. */
function availability(missingEnv: string | undefined): { available: boolean; unavailable_reason?: string } {
  return missingEnv ? { available: false, unavailable_reason: `environment variable ${missingEnv} is not set` } : { available: true };
}
