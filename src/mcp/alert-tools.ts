import { z } from 'zod';
import { activeAlerts } from '../alerts/active-alerts.ts';
import { withStore } from './tool-context.ts';
import { defineTool } from './tool-spec.ts';

const AlertItem = z.looseObject({ rule_id: z.string(), kind: z.string(), subject: z.string(), severity: z.string(), message: z.string() });

/** get_active_alerts (intelligence-router): the alerts firing now, as the gateway's alert rules judged them. */
export const GET_ACTIVE_ALERTS = defineTool({
  name: 'get_active_alerts',
  title: 'Active alerts',
  description:
    'Alerts firing now (cost spikes, budget thresholds, quality drops, error rates, p95 latency, open circuit breakers, a stalled or degrading router learning loop) with their numbers and window; ' +
    'checks that had too little data to judge; destinations whose last delivery failed. A firing cost or latency alert is best followed by identify_cost_drivers / identify_bottlenecks and optimize_routing_rules over its window.',
  input: {
    min_severity: z.enum(['info', 'warning', 'critical']).default('info').describe('Lowest severity listed'),
    include_insufficient: z.boolean().default(true).describe('Also list the checks that had too little data to judge'),
  },
  output: z.looseObject({
    evaluating: z.boolean(),
    firing: z.array(AlertItem),
    insufficient_data: z.array(AlertItem),
    failing_destinations: z.array(z.looseObject({ destination: z.string() })),
  }),
  async run(ctx, args) {
    const rank = { info: 0, warning: 1, critical: 2 } as const;
    const all = await withStore(ctx, (db) => activeAlerts(db));
    const keep = <T extends { severity: keyof typeof rank }>(items: T[]) => items.filter((a) => rank[a.severity] >= rank[args.min_severity]);
    return {
      evaluating: ctx.config().alerts.destinations.length > 0,
      firing: keep(all.firing),
      insufficient_data: args.include_insufficient ? keep(all.insufficient_data) : [],
      failing_destinations: all.failing_destinations,
    };
  },
  summarize: (r) =>
    `${r.firing.length} alert(s) firing${r.firing.length ? `: ${r.firing.map((a) => a.message).join('; ')}` : ''}.` +
    (r.evaluating ? '' : ' Alert rules are not evaluated: no destination is configured (alerts.destinations).'),
});
