import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { listEvents, readAlertStates } from './alert-store.ts';
import type { AlertState } from './types.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One alert as the HTTP API, the MCP tool and the CLI show it. */
export function alertView(s: AlertState) {
  const { window, ...details } = s.details as { window?: { fromMs: number; toMs: number } } & Record<string, unknown>;
  return {
    rule_id: s.ruleId,
    kind: s.kind,
    subject: s.subject,
    state: s.state,
    severity: s.severity,
    message: s.message,
    value: s.value,
    threshold: s.threshold,
    level: s.level,
    window: window ? { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() } : null,
    started_at: iso(s.startedAt),
    updated_at: iso(s.updatedAt),
    notified_at: iso(s.lastNotifiedAt),
    details,
  };
}
export type AlertView = ReturnType<typeof alertView>;

export interface ActiveAlerts {
  firing: AlertView[];
  /** Checks that found too little data to judge (e.g. a model × task type with too few rated requests). */
  insufficient_data: AlertView[];
  /** Destinations whose most recent delivery failed, with the error. */
  failing_destinations: { destination: string; event_id: string; at: string; error: string | null }[];
}

/** What is firing now, what could not be judged, and which destinations are failing — from the store, so every replica answers the same. */
export async function activeAlerts(db: Kysely<Database>): Promise<ActiveAlerts> {
  const [states, events] = await Promise.all([readAlertStates(db, ['firing', 'insufficient']), listEvents(db, 100)]);
  const latest = new Map<string, ActiveAlerts['failing_destinations'][number] | null>();
  for (const e of events) {
    for (const d of e.deliveries) {
      if (latest.has(d.destinationId) || d.status === 'pending') continue;
      latest.set(
        d.destinationId,
        d.status === 'failed' ? { destination: d.destinationId, event_id: e.id, at: new Date(d.updatedAt).toISOString(), error: d.lastError } : null,
      );
    }
  }
  return {
    firing: states.filter((s) => s.state === 'firing').map(alertView),
    insufficient_data: states.filter((s) => s.state === 'insufficient').map(alertView),
    failing_destinations: [...latest.values()].filter((x) => x !== null),
  };
}
