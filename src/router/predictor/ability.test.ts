import { describe, expect, it } from 'vitest';
import { abilityFromPrior, meanProbability, refineAbility, sigmoid } from './ability.ts';

const typical = { a: [1, 1.5, 0.8, 2], b: [-1, 0, 0.5, 1.5] };

describe('abilityFromPrior', () => {
  it('maps a prior to the ability whose mean probability over typical prompts equals it', () => {
    for (const prior of [0.1, 0.5, 0.8, 0.95]) {
      expect(meanProbability(abilityFromPrior(prior, typical), typical)).toBeCloseTo(prior, 6);
    }
  });

  it('is monotone in the prior', () => {
    expect(abilityFromPrior(0.9, typical)).toBeGreaterThan(abilityFromPrior(0.6, typical));
  });

  it('reduces to the logit when every typical prompt is a = 1, b = 0', () => {
    expect(abilityFromPrior(0.75, { a: [1], b: [0] })).toBeCloseTo(Math.log(3), 6);
  });
});

describe('refineAbility', () => {
  it('leaves θ unchanged without outcomes', () => {
    expect(refineAbility(0.7, [])).toBe(0.7);
  });

  it('moves θ towards the observed success rate, more with more outcomes', () => {
    const wins = (n: number) => Array.from({ length: n }, () => ({ score: 1 }));
    const few = refineAbility(0, wins(5));
    const many = refineAbility(0, wins(200));
    expect(few).toBeGreaterThan(0);
    expect(many).toBeGreaterThan(few);
  });

  it('converges to the maximum-likelihood ability when the prior is weak', () => {
    const outcomes = [...Array.from({ length: 300 }, () => ({ score: 1 })), ...Array.from({ length: 100 }, () => ({ score: 0 }))];
    expect(sigmoid(refineAbility(0, outcomes, 0.001))).toBeCloseTo(0.75, 3);
  });
});
