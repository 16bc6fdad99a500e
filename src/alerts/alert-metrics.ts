import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The alert metrics on the gateway's registry. `aigw_alerts_firing` is what the store says (every
 * replica refreshes it each tick, not only the one that evaluates), so any replica's /metrics agrees.
 */
export class AlertMetrics {
  private readonly firing: Gauge<'rule' | 'kind' | 'severity'>;
  private readonly deliveries: Counter<'destination' | 'outcome'>;
  private readonly destinationUp: Gauge<'destination'>;
  private readonly evaluations: Counter<'outcome'>;
  private knownFiring = new Set<string>();

  constructor(registry: Registry) {
    this.firing = new Gauge({
      name: 'aigw_alerts_firing',
      help: 'Alerts firing now, by rule, kind and severity.',
      labelNames: ['rule', 'kind', 'severity'],
      registers: [registry],
    });
    this.deliveries = new Counter({
      name: 'aigw_alert_deliveries_total',
      help: 'Alert deliveries by destination and outcome: sent, retry (an attempt failed, another follows) or failed (gave up).',
      labelNames: ['destination', 'outcome'],
      registers: [registry],
    });
    this.destinationUp = new Gauge({
      name: 'aigw_alert_destination_up',
      help: 'Whether the last delivery attempt to the destination succeeded (1) or not (0).',
      labelNames: ['destination'],
      registers: [registry],
    });
    this.evaluations = new Counter({
      name: 'aigw_alert_evaluations_total',
      help: 'Alert rule evaluations by this replica: ok, or error.',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  setFiring(rows: readonly { ruleId: string; kind: string; severity: string; n: number }[]): void {
    const next = new Set<string>();
    for (const r of rows) {
      this.firing.set({ rule: r.ruleId, kind: r.kind, severity: r.severity }, r.n);
      next.add(JSON.stringify([r.ruleId, r.kind, r.severity]));
    }
    // A rule that stopped firing reads 0, not its last count.
    for (const key of this.knownFiring) {
      if (next.has(key)) continue;
      const [rule, kind, severity] = JSON.parse(key) as [string, string, string];
      this.firing.set({ rule, kind, severity }, 0);
    }
    this.knownFiring = next;
  }

  delivered(destination: string, outcome: 'sent' | 'retry' | 'failed'): void {
    this.deliveries.inc({ destination, outcome });
    this.destinationUp.set({ destination }, outcome === 'sent' ? 1 : 0);
  }

  evaluated(outcome: 'ok' | 'error'): void {
    this.evaluations.inc({ outcome });
  }
}
