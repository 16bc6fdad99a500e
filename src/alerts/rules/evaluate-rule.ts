import type { IdentifiedRule, Observation } from '../types.ts';
import { evaluateBreakers } from './breaker-open.ts';
import { evaluateBudget } from './budget.ts';
import { evaluateCostSpike } from './cost-spike.ts';
import { evaluateErrorRate, evaluateLatency } from './model-health.ts';
import { evaluateQuality } from './quality.ts';
import { evaluateRouterLearning } from './router-learning.ts';
import type { RuleContext } from './rule-context.ts';

/** What one rule finds now, per subject. */
export function evaluateRule(ctx: RuleContext, rule: IdentifiedRule): Promise<Observation[]> {
  switch (rule.kind) {
    case 'cost_spike':
      return evaluateCostSpike(ctx, rule);
    case 'budget':
      return evaluateBudget(ctx, rule);
    case 'quality':
      return evaluateQuality(ctx, rule);
    case 'error_rate':
      return evaluateErrorRate(ctx, rule);
    case 'latency_p95':
      return evaluateLatency(ctx, rule);
    case 'breaker_open':
      return evaluateBreakers(ctx, rule);
    case 'router_learning':
      return evaluateRouterLearning(ctx, rule);
  }
}
