import type { Kysely } from 'kysely';
import { bottlenecks } from '../analytics/bottlenecks.ts';
import { costDrivers } from '../analytics/cost-drivers.ts';
import { buildRecommendations } from '../analytics/recommend/build-recommendations.ts';
import { modelTiers } from '../analytics/routing-costs.ts';
import type { GatewayConfig } from '../config/schema.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import type { AlertFix, AlertState } from './types.ts';

/** Recommendations need history: at least this much of it, even for a one-hour alert window. */
export const MIN_RECOMMENDATION_WINDOW_MS = 24 * 3_600_000;

export interface FixContext {
  db: Kysely<Database>;
  config: GatewayConfig;
  /** Where the recommendations are kept so `aigw rules apply ID` finds them. */
  persistTo?: Pick<Store, 'insertRecommendations' | 'getRecommendation'>;
  timeoutMs: number;
  nowMs: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The alert kinds that come with the optimization analysis, and the goal its recommendations search for. */
const GOAL_OF: Partial<Record<AlertState['kind'], 'cost' | 'speed' | 'balanced'>> = { cost_spike: 'cost', latency_p95: 'speed', error_rate: 'balanced' };

export function fixApplies(kind: AlertState['kind']): boolean {
  return GOAL_OF[kind] !== undefined;
}

class FixTimeout extends Error {}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  // A spent budget fails at once: a timer of 0 ms can lose the race to a fast query.
  if (ms <= 0) {
    work.catch(() => undefined);
    return Promise.reject(new FixTimeout(`not finished within the ${ms} ms budget (alerts.fix_timeout)`));
  }
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FixTimeout(`not finished within the ${ms} ms budget (alerts.fix_timeout)`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The fix that comes with a firing cost or latency alert: the top cost drivers (cost spikes) or the
 * bottlenecks (latency, errors) of the alert's window, and the routing-rule changes
 * optimize_routing_rules proposes for it — stored, so their ids work with `aigw rules apply`. Each part
 * runs under the time budget; a part that does not finish is left out and named in `notes`.
 */
export async function attachFix(ctx: FixContext, alert: AlertState, windowMs: { fromMs: number; toMs: number }): Promise<AlertFix | null> {
  const goal = GOAL_OF[alert.kind];
  if (!goal) return null;
  const started = performance.now();
  const model = typeof alert.details.model === 'string' ? alert.details.model : undefined;
  const q = { fromMs: windowMs.fromMs, toMs: windowMs.toMs, taskTypes: [], keyIds: [], models: model ? [model] : [] };
  const recFromMs = Math.min(windowMs.fromMs, windowMs.toMs - MIN_RECOMMENDATION_WINDOW_MS);
  const notes: string[] = [];
  const [drivers, slow, recs] = await Promise.allSettled([
    alert.kind === 'cost_spike' ? within(costDrivers(ctx.db, q, { top: 5, tier_of: modelTiers(ctx.config) }), ctx.timeoutMs) : Promise.resolve(null),
    alert.kind !== 'cost_spike' ? within(bottlenecks(ctx.db, q, { limit: 5 }), ctx.timeoutMs) : Promise.resolve(null),
    within(
      buildRecommendations(
        ctx.db,
        ctx.config,
        { from: iso(recFromMs), to: iso(windowMs.toMs), optimization_goal: goal, max_recommendations: 3 },
        { nowMs: ctx.nowMs, ...(ctx.persistTo ? { persistTo: ctx.persistTo } : {}) },
      ),
      ctx.timeoutMs,
    ),
  ]);
  const d = drivers.status === 'fulfilled' ? drivers.value : null;
  if (drivers.status === 'rejected') notes.push(`cost drivers: ${messageOf(drivers.reason)}`);
  const b = slow.status === 'fulfilled' ? slow.value : null;
  if (slow.status === 'rejected') notes.push(`bottlenecks: ${messageOf(slow.reason)}`);
  const set = recs.status === 'fulfilled' ? recs.value : null;
  if (recs.status === 'rejected') notes.push(`recommendations: ${messageOf(recs.reason)}`);
  if (set) {
    notes.push(...set.missing);
    if (set.recommendations.length === 0) notes.push(`no routing-rule change beats the current routing for goal ${goal} on this window`);
  }
  return {
    window: { from: iso(windowMs.fromMs), to: iso(windowMs.toMs) },
    computed_in_ms: Math.round(performance.now() - started),
    top_cost_drivers: d ? { keys: d.top_keys, models: d.top_models, task_types: d.top_task_types } : null,
    bottlenecks: b ? { latency_spikes: b.latency_spikes, error_bursts: b.error_bursts } : null,
    recommendations: (set?.recommendations ?? []).map((r) => ({
      id: r.id,
      title: r.title,
      change: r.recommendedChange,
      expected_cost_change_pct: r.expectedImpact.costChangePct,
      expected_quality_after: r.expectedImpact.avgQualityAfter,
      confidence: r.confidence,
      apply: `aigw rules apply ${r.id}`,
    })),
    recommendation_window: set ? { from: iso(recFromMs), to: iso(windowMs.toMs), goal } : null,
    notes,
  };
}
