import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { activeAlerts } from '../../alerts/active-alerts.ts';
import { listEvents } from '../../alerts/alert-store.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { mainDbOf } from '../../mcp/store-context.ts';
import { errors } from '../../util/errors.ts';

const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/**
 * GET /v1/alerts: what is firing now (the dashboard banner reads it), checks with too little data,
 * failing destinations. GET /v1/alerts/history?limit=50: the events sent, with each delivery's outcome.
 * Admin key; both read the store, so every replica answers the same.
 */
export function registerAlertRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.get('/v1/alerts', async () => {
    const g = gateway();
    return { evaluating: g.config.alerts.destinations.length > 0, ...(await activeAlerts(mainDbOf(g.store))) };
  });
  app.get('/v1/alerts/history', async (req) => {
    const parsed = HistoryQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw errors.invalidField('limit', parsed.error.issues[0]?.message ?? 'invalid limit');
    const events = await listEvents(mainDbOf(gateway().store), parsed.data.limit);
    return {
      events: events.map((e) => ({
        id: e.id,
        at: new Date(e.createdAt).toISOString(),
        event: e.event,
        rule_id: e.ruleId,
        subject: e.subject,
        severity: e.severity,
        message: e.message,
        deliveries: e.deliveries,
      })),
    };
  });
}
