import type { AlertRule } from '../../config/alerts-schema.ts';
import { LearningStore, type OutcomeCount } from '../../store/learning-store.ts';
import type { Observation } from '../types.ts';
import { durationText, type RuleContext } from './rule-context.ts';

type RouterLearningRule = Extract<AlertRule, { kind: 'router_learning' }>;

/** Outcomes and the sum of their scores over the counts of outcomeCounts. */
function total(counts: readonly OutcomeCount[]): { n: number; sum: number } {
  return counts.reduce((t, c) => ({ n: t.n + Number(c.outcomes), sum: t.sum + Number(c.outcomes) * Number(c.mean_score) }), { n: 0, sum: 0 });
}

/**
 * The router's learning loop (src/router/learning, migration 0008), through its store: `learned_state`
 * fires when `min_sample` scored outcomes have waited longer than `max_state_age` without a learned
 * state fitted after them (the loop stalled on every replica); `outcome_score` fires when the mean
 * score of the routed answers scored over the window fell more than `max_drop` below the baseline's.
 * Nothing is observed while `routing.learning.enabled` is false.
 */
export async function evaluateRouterLearning(ctx: RuleContext, rule: RouterLearningRule): Promise<Observation[]> {
  if (!ctx.config.routing.learning.enabled) return [];
  const store = new LearningStore(ctx.db);
  const { nowMs } = ctx;
  const latest = await store.latestState();
  const stateAtMs = latest ? Number(latest.created_at) : -1;
  const [waiting, recent] = await Promise.all([store.countScored(stateAtMs), store.countScored(Math.max(stateAtMs, nowMs - rule.max_state_age))]);
  const stuck = waiting.outcomes - recent.outcomes;
  const age = durationText(rule.max_state_age);
  const stateText = latest ? `the newest learned state (${latest.id}) was fitted ${new Date(stateAtMs).toISOString()}` : 'no learned state has been fitted yet';
  const stateDetails = {
    state_id: latest?.id ?? null,
    state_fitted_at: latest ? new Date(stateAtMs).toISOString() : null,
    outcomes_waiting: waiting.outcomes,
    outcomes_waiting_longer_than_max_age: stuck,
  };
  const stateObs: Observation = {
    subject: 'learned_state',
    level: 1,
    value: stuck,
    threshold: rule.min_sample,
    window: { fromMs: stateAtMs < 0 ? nowMs - rule.max_state_age : stateAtMs, toMs: nowMs },
    details: stateDetails,
    ...(stuck >= rule.min_sample
      ? { status: 'firing' as const, message: `Router learning stalled: ${stuck} scored outcomes have waited over ${age} for a refit; ${stateText}` }
      : { status: 'ok' as const, message: `Router learning: ${waiting.outcomes} outcomes since the last refit; ${stateText}` }),
  };
  const windowFromMs = nowMs - rule.window;
  const [inWindow, sinceBaseline] = await Promise.all([store.outcomeCounts(windowFromMs), store.outcomeCounts(windowFromMs - rule.baseline)]);
  const w = total(inWindow);
  const all = total(sinceBaseline);
  const b = { n: all.n - w.n, sum: all.sum - w.sum };
  const base = { subject: 'outcome_score', level: 1, window: { fromMs: windowFromMs, toMs: nowMs } };
  const details = { outcomes: w.n, baseline_outcomes: b.n, baseline: durationText(rule.baseline), max_drop: rule.max_drop };
  if (w.n < rule.min_sample || b.n < rule.min_sample) {
    const message = `Routed answers scored: ${w.n} in the last ${durationText(rule.window)}, ${b.n} in the ${durationText(rule.baseline)} before; ${rule.min_sample} of each are needed to judge a drop`;
    return [stateObs, { ...base, status: 'insufficient', value: w.n ? w.sum / w.n : null, threshold: null, message, details }];
  }
  const [meanW, meanB] = [w.sum / w.n, b.sum / b.n];
  const text = `mean outcome score of routed answers ${meanW.toFixed(3)} over ${w.n} scored in the last ${durationText(rule.window)} against ${meanB.toFixed(3)} over ${b.n} in the ${durationText(rule.baseline)} before`;
  const scoreObs: Observation =
    meanB - meanW > rule.max_drop
      ? {
          ...base,
          status: 'firing',
          value: meanW,
          threshold: meanB - rule.max_drop,
          message: `Router outcomes degrading: ${text}`,
          details: { ...details, baseline_mean: meanB },
        }
      : {
          ...base,
          status: 'ok',
          value: meanW,
          threshold: meanB - rule.max_drop,
          message: `Router outcomes: ${text}`,
          details: { ...details, baseline_mean: meanB },
        };
  return [stateObs, scoreObs];
}
