import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AlertDestination, Severity } from '../config/alerts-schema.ts';
import { withDestinationId } from '../config/alerts-schema.ts';
import type { Database } from '../store/schema.ts';
import type { AlertMetrics } from './alert-metrics.ts';
import { insertEvent, newEventId, updateDelivery } from './alert-store.ts';
import { slackMessage } from './payload.ts';
import type { AlertPayload } from './types.ts';

export type Destination = AlertDestination & { id: string };

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The destinations an event of `severity` goes to (each destination's `min_severity`). */
export function destinationsFor(destinations: readonly AlertDestination[], severity: Severity): Destination[] {
  return destinations.map(withDestinationId).filter((d) => SEVERITY_RANK[severity] >= SEVERITY_RANK[d.min_severity]);
}

/** `env:NAME` header values read the environment, so secrets stay out of aigw.yaml. */
function headersOf(d: Extract<Destination, { type: 'webhook' }>, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'aigw-alerts/1' };
  for (const [k, v] of Object.entries(d.headers)) out[k.toLowerCase()] = v.startsWith('env:') ? (env[v.slice(4)] ?? '') : v;
  return out;
}

export function bodyFor(d: Destination, p: AlertPayload): unknown {
  return d.type === 'webhook' && d.format === 'slack' ? slackMessage(p) : p;
}

/** One POST with a hard timeout: resolves on a 2xx, throws with the status or network error otherwise. */
async function postOnce(d: Extract<Destination, { type: 'webhook' }>, body: string, env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<void> {
  const res = await fetch(d.url, { method: 'POST', headers: headersOf(d, env), body, signal: AbortSignal.any([AbortSignal.timeout(d.timeout_ms), stop]) });
  const text = await res.text().catch(() => '');
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    t.unref();
    stop.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

const messageOf = (err: unknown) => (err instanceof Error ? (err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message) : String(err));

export interface DelivererOptions {
  db: Kysely<Database>;
  logger: Logger;
  metrics?: AlertMetrics;
  env?: NodeJS.ProcessEnv;
  replica: string;
  now?: () => number;
}

/**
 * Sends events to their destinations in the background: `send` records the event and its pending
 * deliveries, starts one task per destination and returns — nothing waits on a webhook. A webhook is
 * retried with exponential backoff up to `max_attempts`, each attempt cut at `timeout_ms`; a delivery
 * that still fails is marked failed in alert_deliveries, logged, counted in
 * aigw_alert_deliveries_total{outcome="failed"}, and recorded as a `delivery_failed` event.
 */
export class AlertDeliverer {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly now: () => number;

  constructor(private readonly opts: DelivererOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Records `payload` with a pending delivery per destination, then delivers in the background;
   * `delivered` settles when every destination has succeeded or given up (never rejects).
   */
  async send(payload: AlertPayload, destinations: readonly Destination[]): Promise<{ delivered: Promise<void> }> {
    await insertEvent(
      this.opts.db,
      payload,
      destinations.map((d) => d.id),
      this.now(),
    );
    const tasks = destinations.map((d) => this.track(this.deliver(payload, d, 0)));
    return { delivered: Promise.allSettled(tasks).then(() => undefined) };
  }

  /** Delivers an already recorded event again (a pending delivery whose sender's process ended). */
  resend(payload: AlertPayload, d: Destination, attemptsSoFar: number): void {
    void this.track(this.deliver(payload, d, attemptsSoFar));
  }

  private track(task: Promise<void>): Promise<void> {
    this.inFlight.add(task);
    void task.catch(() => undefined).finally(() => this.inFlight.delete(task));
    return task;
  }

  /** Waits for deliveries in flight, at most `graceMs`; the rest stay pending in the store for a later resend. */
  async close(graceMs = 2_000): Promise<void> {
    const all = Promise.allSettled([...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.stopping.abort();
    await all;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Resolves once no delivery is in flight (tests, the CLI's `alerts test`). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(p: AlertPayload, d: Destination, attemptsSoFar: number): Promise<void> {
    const { db, logger, metrics } = this.opts;
    if (d.type === 'log') {
      const fields = { alert: p.alert, fix: p.fix, event: p.event, event_id: p.event_id };
      if (p.alert.severity === 'info' || p.event === 'resolved') logger.info(fields, `alert ${p.event}: ${p.alert.message}`);
      else logger.warn(fields, `alert ${p.event}: ${p.alert.message}`);
      await updateDelivery(db, p.event_id, d.id, 'sent', attemptsSoFar + 1, null, this.now()).catch(() => undefined);
      metrics?.delivered(d.id, 'sent');
      return;
    }
    const body = JSON.stringify(bodyFor(d, p));
    let attempts = attemptsSoFar;
    let lastError = '';
    while (attempts < d.max_attempts && !this.stopping.signal.aborted) {
      attempts += 1;
      try {
        await postOnce(d, body, this.opts.env ?? process.env, this.stopping.signal);
        await updateDelivery(db, p.event_id, d.id, 'sent', attempts, null, this.now());
        metrics?.delivered(d.id, 'sent');
        return;
      } catch (err) {
        lastError = messageOf(err);
        if (this.stopping.signal.aborted) break;
        metrics?.delivered(d.id, 'retry');
        await updateDelivery(db, p.event_id, d.id, 'pending', attempts, lastError, this.now()).catch(() => undefined);
        if (attempts < d.max_attempts) await sleep(d.backoff_ms * 2 ** (attempts - 1) * (0.75 + Math.random() / 2), this.stopping.signal);
      }
    }
    // Shutting down mid-retry: leave it pending; another replica (or this one restarted) resends it.
    if (this.stopping.signal.aborted && attempts < d.max_attempts) return;
    await this.recordFailure(p, d, attempts, lastError);
  }

  private async recordFailure(p: AlertPayload, d: Destination, attempts: number, lastError: string): Promise<void> {
    const { db, logger, metrics } = this.opts;
    metrics?.delivered(d.id, 'failed');
    logger.error({ destination: d.id, event_id: p.event_id, attempts, err: lastError }, `alert destination ${d.id} failed: ${p.alert.message}`);
    try {
      await updateDelivery(db, p.event_id, d.id, 'failed', attempts, lastError, this.now());
      const failure: AlertPayload = {
        ...p,
        event: 'delivery_failed',
        event_id: newEventId(),
        sent_at: new Date(this.now()).toISOString(),
        alert: {
          ...p.alert,
          status: 'delivery_failed',
          severity: 'warning',
          message: `could not deliver ${p.event_id} to ${d.id} after ${attempts} attempt(s): ${lastError}`,
          details: { failed_event_id: p.event_id, destination: d.id },
        },
        fix: null,
      };
      await insertEvent(db, failure, [], this.now());
    } catch (err) {
      logger.error({ err }, 'alerts: could not record a failed delivery');
    }
  }
}
