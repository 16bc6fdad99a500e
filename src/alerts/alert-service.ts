import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { withReviewId, withRuleId } from '../config/alerts-schema.ts';
import type { GatewayConfig } from '../config/schema.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import type { AlertMetrics } from './alert-metrics.ts';
import {
  applyObservations,
  claimReviewRun,
  claimStaleDelivery,
  countFiring,
  readEventPayload,
  reportBreakers,
  retireRules,
  staleDeliveries,
  tryLease,
  releaseLease,
  type Transition,
} from './alert-store.ts';
import { attachFix, fixApplies } from './attach-fix.ts';
import { AlertDeliverer, destinationsFor } from './deliver.ts';
import { alertPayload } from './payload.ts';
import { runReview } from './reviews.ts';
import { evaluateRule } from './rules/evaluate-rule.ts';
import type { IdentifiedRule, Observation } from './types.ts';

export const ALERTS_LEASE = 'alerts';
/** A delivery still pending this long after its last attempt lost its sender (process ended): resend it. */
const STALE_DELIVERY_MS = 10 * 60_000;

export interface AlertServiceOptions {
  /** The main connection: state, events, leases. */
  db: Kysely<Database>;
  /** Where the rules read the request log and rollups (the analytics readers). */
  readDb: Kysely<Database>;
  /** Keeps the recommendations attached to alerts so `aigw rules apply ID` finds them. */
  recommendationStore?: Pick<Store, 'insertRecommendations' | 'getRecommendation'>;
  config: () => GatewayConfig;
  logger: Logger;
  metrics?: AlertMetrics;
  /** This process's circuit breakers that are not closed, with since when. */
  openBreakers?: () => { model: string; openSinceMs: number }[];
  replicaId?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export interface TickResult {
  /** Why nothing was evaluated: no destination configured, or another replica holds the lease. */
  skipped?: 'no_destinations' | 'not_leader';
  observations: { rule: string; observations: Observation[] }[];
  sent: Transition[];
  errors: { rule: string; error: string }[];
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Evaluates the alert rules on a cadence, off the request path. Every replica runs the timer: each tick
 * it reports its breakers and refreshes the firing gauge; only the replica holding the `alerts` lease
 * (alert_leases, renewed each tick) evaluates, and even then a notification goes out only from the
 * replica whose conditional update claimed it in alert_states — so two replicas send one alert and a
 * restart sends nothing it already sent.
 */
export class AlertService {
  readonly replicaId: string;
  readonly deliverer: AlertDeliverer;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickResult> | undefined;
  private readonly background = new Set<Promise<unknown>>();
  /** Per alert, the tail of its notifications (notifyInOrder). */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly now: () => number;

  constructor(private readonly opts: AlertServiceOptions) {
    this.replicaId = opts.replicaId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.now = opts.now ?? Date.now;
    this.deliverer = new AlertDeliverer({
      db: opts.db,
      logger: opts.logger,
      replica: this.replicaId,
      now: this.now,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    });
  }

  /** Ticks now and then every `alerts.interval` (re-read each tick, so a reload changes the cadence). */
  start(): void {
    if (this.timer) return;
    const schedule = () => {
      this.timer = setTimeout(() => {
        void this.tick()
          .catch((err: unknown) => this.opts.logger.warn({ err }, 'alerts: evaluation failed'))
          .finally(() => {
            if (this.timer) schedule();
          });
      }, this.opts.config().alerts.interval);
      this.timer.unref();
    };
    void this.tick().catch((err: unknown) => this.opts.logger.warn({ err }, 'alerts: evaluation failed'));
    schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await Promise.allSettled([...this.background]);
    await this.deliverer.close();
    await releaseLease(this.opts.db, ALERTS_LEASE, this.replicaId).catch(() => undefined);
  }

  /** One evaluation; concurrent callers share it. */
  tick(): Promise<TickResult> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Waits for the fixes, sends and reviews the last ticks started (tests, CLI). */
  async settle(): Promise<void> {
    while (this.background.size > 0 || this.deliverer.pending > 0) {
      await Promise.allSettled([...this.background]);
      await this.deliverer.idle();
    }
  }

  private track<T>(task: Promise<T>): void {
    this.background.add(task);
    void task.catch((err: unknown) => this.opts.logger.warn({ err }, 'alerts: background task failed')).finally(() => this.background.delete(task));
  }

  private async runTick(): Promise<TickResult> {
    const cfg = this.opts.config();
    const result: TickResult = { observations: [], sent: [], errors: [] };
    if (cfg.alerts.destinations.length === 0) return { ...result, skipped: 'no_destinations' };
    const nowMs = this.now();
    const { db } = this.opts;
    await reportBreakers(db, this.replicaId, this.opts.openBreakers?.() ?? [], nowMs);
    const ttlMs = Math.max(3 * cfg.alerts.interval, 30_000);
    if (!(await tryLease(db, ALERTS_LEASE, this.replicaId, ttlMs, nowMs))) {
      await this.refreshGauge();
      return { ...result, skipped: 'not_leader' };
    }
    const rules = cfg.alerts.rules.filter((r) => r.enabled).map(withRuleId);
    const ctx = { db: this.opts.readDb, nowMs, config: cfg, breakerReportsSinceMs: nowMs - ttlMs };
    for (const rule of rules) {
      try {
        const observations = await evaluateRule(ctx, rule);
        result.observations.push({ rule: rule.id, observations });
        const transitions = await applyObservations(db, rule, observations, nowMs);
        for (const t of transitions) this.track(this.notifyInOrder(t, rule, cfg, nowMs));
        result.sent.push(...transitions);
        this.opts.metrics?.evaluated('ok');
      } catch (err) {
        // One rule's failure (a query error) leaves its alerts as they were and the other rules running.
        result.errors.push({ rule: rule.id, error: messageOf(err) });
        this.opts.metrics?.evaluated('error');
        this.opts.logger.warn({ err, rule: rule.id }, 'alerts: rule evaluation failed');
      }
    }
    await retireRules(
      db,
      rules.map((r) => r.id),
      nowMs,
    );
    await this.resendStale(cfg, nowMs);
    this.startDueReviews(cfg, nowMs);
    await this.refreshGauge();
    return result;
  }

  /**
   * Sends the transitions of one alert in order: a resolve waits until its firing (whose fix takes
   * longer to compute) has been delivered or given up.
   */
  private notifyInOrder(t: Transition, rule: IdentifiedRule, cfg: GatewayConfig, nowMs: number): Promise<void> {
    const key = JSON.stringify([t.state.ruleId, t.state.subject]);
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.notify(t, rule, cfg, nowMs));
    const settled = next.catch(() => undefined);
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }

  /** Sends one transition (with its fix for cost and latency alerts) to the destinations its severity reaches. */
  private async notify(t: Transition, rule: IdentifiedRule, cfg: GatewayConfig, nowMs: number): Promise<void> {
    const window = t.state.details.window as { fromMs: number; toMs: number } | undefined;
    const fix =
      t.event !== 'resolved' && fixApplies(rule.kind) && window
        ? await attachFix(
            {
              db: this.opts.readDb,
              config: cfg,
              timeoutMs: cfg.alerts.fix_timeout,
              nowMs,
              ...(this.opts.recommendationStore ? { persistTo: this.opts.recommendationStore } : {}),
            },
            t.state,
            window,
          )
        : null;
    const { delivered } = await this.deliverer.send(
      alertPayload(t.event, t.state, fix, this.replicaId, nowMs),
      destinationsFor(cfg.alerts.destinations, t.state.severity),
    );
    await delivered;
  }

  private async resendStale(cfg: GatewayConfig, nowMs: number): Promise<void> {
    const olderThanMs = nowMs - STALE_DELIVERY_MS;
    for (const s of await staleDeliveries(this.opts.db, olderThanMs)) {
      const d = destinationsFor(cfg.alerts.destinations, 'critical').find((x) => x.id === s.destinationId);
      const payload = d && (await readEventPayload(this.opts.db, s.eventId));
      if (!d || !payload || !(await claimStaleDelivery(this.opts.db, s.eventId, s.destinationId, olderThanMs, nowMs))) continue;
      this.deliverer.resend(payload, d, s.attempts);
    }
  }

  private startDueReviews(cfg: GatewayConfig, nowMs: number): void {
    for (const review of cfg.alerts.reviews.map(withReviewId)) {
      this.track(
        claimReviewRun(this.opts.db, review.id, review.every, nowMs).then(async ({ claimed }) => {
          if (!claimed) return;
          const { paths } = await runReview(
            {
              db: this.opts.db,
              readDb: this.opts.readDb,
              config: cfg,
              deliverer: this.deliverer,
              cwd: this.opts.cwd ?? process.cwd(),
              replica: this.replicaId,
              nowMs,
              ...(this.opts.recommendationStore ? { persistTo: this.opts.recommendationStore } : {}),
            },
            review,
            cfg.alerts,
          );
          this.opts.logger.info({ review: review.id, paths }, 'alerts: scheduled review written');
        }),
      );
    }
  }

  private async refreshGauge(): Promise<void> {
    if (this.opts.metrics) this.opts.metrics.setFiring(await countFiring(this.opts.db));
  }
}
