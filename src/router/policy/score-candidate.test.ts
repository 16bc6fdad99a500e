import { describe, expect, it } from 'vitest';
import { BALANCED_LAMBDA_COST, BALANCED_LAMBDA_LATENCY, compareByGoal, goalScore, preferBonus } from './score-candidate.ts';
import { fixedEstimate as est } from './policy-fixtures.test-support.ts';

const ref = { minCostUsd: 0.001, minLatencyMs: 1_000 };

describe('goalScore', () => {
  it('scores cost and speed as −log10 of the ratio to the best', () => {
    expect(goalScore('cost', est('gpt-4o', 0.9, 0.001, 1_000), ref)).toBeCloseTo(0, 9);
    expect(goalScore('cost', est('gpt-4o', 0.9, 0.01, 1_000), ref)).toBeCloseTo(-1, 3);
    expect(goalScore('speed', est('gpt-4o', 0.9, 0.01, 10_000), ref)).toBeCloseTo(-1, 3);
  });

  it('scores quality as the predicted quality', () => {
    expect(goalScore('quality', est('gpt-4o', 0.83, 5, 9_000), ref)).toBe(0.83);
  });

  it('balances: ten times the price costs λ_cost of quality, ten times slower λ_latency', () => {
    const base = goalScore('balanced', est('gpt-4o', 0.9, 0.001, 1_000), ref);
    expect(base).toBeCloseTo(0.9, 3);
    expect(goalScore('balanced', est('gpt-4o', 0.9, 0.01, 1_000), ref)).toBeCloseTo(0.9 - BALANCED_LAMBDA_COST, 3);
    expect(goalScore('balanced', est('gpt-4o', 0.9, 0.001, 10_000), ref)).toBeCloseTo(0.9 - BALANCED_LAMBDA_LATENCY, 3);
  });

  it('is cost first: +0.18 predicted does not pay for 25× the price, +0.15 pays for twice the price', () => {
    const cheap = goalScore('balanced', est('gpt-4o-mini', 0.74, 0.001, 1_000), ref);
    expect(goalScore('balanced', est('gpt-4o', 0.92, 0.025, 1_000), ref)).toBeLessThan(cheap);
    expect(goalScore('balanced', est('claude-haiku', 0.89, 0.002, 1_000), ref)).toBeGreaterThan(cheap);
  });

  it('stays finite for free models', () => {
    const free = { minCostUsd: 0, minLatencyMs: 0 };
    expect(Number.isFinite(goalScore('balanced', est('llama-local', 0.5, 0.002, 300), free))).toBe(true);
  });
});

describe('preferBonus', () => {
  it('gives 0.05 to the most preferred, 0.01 less for each next, at least 0.01, nothing when not preferred', () => {
    expect([0, 1, 2, 3, 4, 5, -1].map(preferBonus)).toEqual([0.05, 0.04, 0.03, 0.02, 0.01, 0.01, 0].map((x) => expect.closeTo(x, 9)));
  });
});

describe('compareByGoal', () => {
  const scored = (id: string, q: number, cost: number, score: number) => ({ ...est(id, q, cost, 1_000), score });

  it('breaks a tie toward the cheaper model for the quality goal', () => {
    const list = [scored('gpt-4o', 0.9, 0.01, 0.9), scored('gpt-4o-mini', 0.9, 0.001, 0.9)].sort(compareByGoal('quality'));
    expect(list.map((c) => c.model.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
  });

  it('breaks a tie toward the better model for the cost goal', () => {
    const list = [scored('gpt-4o-mini', 0.8, 0.001, 0), scored('claude-haiku', 0.85, 0.001, 0)].sort(compareByGoal('cost'));
    expect(list.map((c) => c.model.id)).toEqual(['claude-haiku', 'gpt-4o-mini']);
  });
});
