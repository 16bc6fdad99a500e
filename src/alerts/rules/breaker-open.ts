import type { AlertRule } from '../../config/alerts-schema.ts';
import { readOpenBreakers } from '../alert-store.ts';
import type { Observation } from '../types.ts';
import { durationText, type RuleContext } from './rule-context.ts';

type BreakerRule = Extract<AlertRule, { kind: 'breaker_open' }>;

/**
 * Models whose circuit breaker has been open (or half-open, still failing its probes) on some replica
 * for at least `open_for`, from the breaker reports every replica writes on each tick. A breaker that
 * closes leaves the reports and its alert resolves (applyObservations resolves subjects not observed).
 */
export async function evaluateBreakers(ctx: RuleContext, rule: BreakerRule): Promise<Observation[]> {
  const open = await readOpenBreakers(ctx.db, ctx.breakerReportsSinceMs);
  return open.map((b) => {
    const openMs = ctx.nowMs - b.openSinceMs;
    const details = {
      model: b.model,
      open_since: new Date(b.openSinceMs).toISOString(),
      open_ms: openMs,
      replicas: b.replicas,
      open_for: durationText(rule.open_for),
    };
    const base = { subject: b.model, level: 1, value: openMs, threshold: rule.open_for, window: { fromMs: b.openSinceMs, toMs: ctx.nowMs }, details };
    const text = `${b.model}: circuit breaker open for ${durationText(Math.round(openMs / 1000) * 1000)} on ${b.replicas} replica(s)`;
    return openMs >= rule.open_for
      ? {
          ...base,
          status: 'firing' as const,
          message: `Circuit breaker: ${text} (alert after ${durationText(rule.open_for)}); requests fall back to other models`,
        }
      : { ...base, status: 'ok' as const, message: `${text}, under the ${durationText(rule.open_for)} alert threshold` };
  });
}
