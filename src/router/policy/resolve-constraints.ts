import type { VirtualModel } from '../../config/schema.ts';
import type { RoutingConstraints } from '../types.ts';
import type { CombinedRuleAction } from './match-rules.ts';

/**
 * The constraints of one request, field by field: the virtual model's defaults (min quality falling
 * back to `routing.default_min_quality`), then the fired rules (last one wins), then the caller's
 * headers or body field, which win over everything.
 */
export function resolveConstraints(
  virtualModel: VirtualModel,
  defaultMinQuality: number,
  rules: CombinedRuleAction,
  overrides: Partial<RoutingConstraints> | undefined,
): RoutingConstraints {
  const constraints: RoutingConstraints = {
    goal: overrides?.goal ?? rules.goal ?? virtualModel.goal,
    minQuality: overrides?.minQuality ?? rules.minQuality ?? virtualModel.min_quality ?? defaultMinQuality,
  };
  const maxCostUsd = overrides?.maxCostUsd ?? rules.maxCostUsd ?? virtualModel.max_cost_usd;
  const maxLatencyMs = overrides?.maxLatencyMs ?? rules.maxLatencyMs ?? virtualModel.max_latency_ms;
  if (maxCostUsd !== undefined) constraints.maxCostUsd = maxCostUsd;
  if (maxLatencyMs !== undefined) constraints.maxLatencyMs = maxLatencyMs;
  return constraints;
}
