import { describe, expect, it } from 'vitest';
import { VirtualModel } from '../../config/schema.ts';
import { combineRuleActions } from './match-rules.ts';
import { resolveConstraints } from './resolve-constraints.ts';

const noRules = combineRuleActions([]);

describe('resolveConstraints', () => {
  it('starts from the virtual model, falling back to the default min quality', () => {
    expect(resolveConstraints(VirtualModel.parse({ goal: 'cost' }), 0.7, noRules, undefined)).toEqual({ goal: 'cost', minQuality: 0.7 });
    const strict = VirtualModel.parse({ min_quality: 0.9, max_cost_usd: 0.01, max_latency_ms: 2_000 });
    expect(resolveConstraints(strict, 0.7, noRules, {})).toEqual({ goal: 'balanced', minQuality: 0.9, maxCostUsd: 0.01, maxLatencyMs: 2_000 });
  });

  it('lets rules override the virtual model and the caller override both', () => {
    const vm = VirtualModel.parse({ goal: 'quality', min_quality: 0.9, max_cost_usd: 0.05 });
    const rules = { ...noRules, goal: 'cost' as const, minQuality: 0.6, maxLatencyMs: 1_000 };
    expect(resolveConstraints(vm, 0.7, rules, undefined)).toEqual({ goal: 'cost', minQuality: 0.6, maxCostUsd: 0.05, maxLatencyMs: 1_000 });
    expect(resolveConstraints(vm, 0.7, rules, { goal: 'speed', maxCostUsd: 0.001 })).toEqual({
      goal: 'speed',
      minQuality: 0.6,
      maxCostUsd: 0.001,
      maxLatencyMs: 1_000,
    });
  });
});
