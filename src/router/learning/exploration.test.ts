import { describe, expect, it } from 'vitest';
import { analyzePrompt } from '../analyze/analyze-prompt.ts';
import { LiveStats } from '../live-stats.ts';
import { gatewayConfig } from '../policy/policy-fixtures.test-support.ts';
import { createRouter, type RouterInput } from '../router.ts';
import type { RouteDecision } from '../types.ts';
import { LearningPredictor } from './learning-predictor.ts';
import { PROMPTS, shippedPredictor } from './learning.test-support.ts';

const ROUTING = {
  rules: [{ name: 'no-local-for-code', match: { task_types: ['coding' as const] }, action: { exclude: ['llama-local'] } }],
};

function routerWith(share: number) {
  const predictor = new LearningPredictor(shippedPredictor());
  return createRouter({
    config: gatewayConfig(ROUTING),
    predictor,
    analyze: (messages) => analyzePrompt(messages, { difficulty: (f, t) => predictor.difficultyPercentile(f, t) }),
    liveStats: new LiveStats(),
    exploreShare: () => share,
  });
}

function inputs(): RouterInput[] {
  const out: RouterInput[] = [];
  for (let i = 0; i < 400; i++) {
    const extra: Partial<RouterInput> =
      i % 4 === 0
        ? { overrides: { maxCostUsd: 0.0004 } }
        : i % 4 === 1
          ? { requiredCapabilities: ['vision'] }
          : i % 4 === 2
            ? { overrides: { maxLatencyMs: 2_500 } }
            : {};
    out.push({ routingModel: 'auto', messages: [{ role: 'user', content: PROMPTS[i % PROMPTS.length]! }], requestId: `r-${i}`, ...extra });
  }
  return out;
}

function decide(share: number, input: RouterInput): RouteDecision | null {
  const outcome = routerWith(share).decide(input);
  return outcome.ok ? outcome.decision : null;
}

describe('exploration (Thompson sampling)', () => {
  const explorer = routerWith(0.5);
  const decisions = inputs().map((input) => {
    const outcome = explorer.decide(input);
    return { input, decision: outcome.ok ? outcome.decision : null };
  });
  const explored = decisions.filter((d) => d.decision?.explored);

  it('explores some requests and says so in the rationale and the flag', () => {
    expect(explored.length).toBeGreaterThan(10);
    for (const { decision } of explored) expect(decision!.rationale).toMatch(/^Exploration \(Thompson sample/);
    for (const { decision } of decisions.filter((d) => !d.decision?.explored)) expect(decision?.rationale ?? '').not.toMatch(/^Exploration/);
  });

  it('never picks a model that breaks a constraint, a rule or a required capability', () => {
    const config = gatewayConfig(ROUTING);
    for (const { input, decision } of explored) {
      const d = decision!;
      const chosen = d.candidates.find((c) => c.model === d.chosenModel)!;
      expect(chosen.eligible).toBe(true);
      if (input.overrides?.maxCostUsd !== undefined) expect(chosen.estCostUsd).toBeLessThanOrEqual(input.overrides.maxCostUsd);
      if (input.overrides?.maxLatencyMs !== undefined) expect(chosen.estLatencyMs).toBeLessThanOrEqual(input.overrides.maxLatencyMs);
      if (input.requiredCapabilities?.includes('vision')) expect(config.models.find((m) => m.id === d.chosenModel)!.capabilities).toContain('vision');
      if (d.taskType === 'coding') expect(d.chosenModel).not.toBe('llama-local');
    }
  });

  it('with a budgeted key, never picks a dearer model than the mean choice', () => {
    for (const input of inputs().slice(0, 200)) {
      const budgeted = decide(0.5, { ...input, budgeted: true });
      const mean = decide(0, input);
      if (!budgeted || !mean) continue;
      const cost = (d: RouteDecision) => d.candidates.find((c) => c.model === d.chosenModel)!.estCostUsd;
      expect(cost(budgeted)).toBeLessThanOrEqual(cost(mean) + 1e-12);
    }
  });

  it('is off at share 0, and decides the same way for the same request id', () => {
    expect(inputs().some((input) => decide(0, input)?.explored)).toBe(false);
    const input = explored[0]!.input;
    expect(decide(0.5, input)!.chosenModel).toBe(explored[0]!.decision!.chosenModel);
  });
});
