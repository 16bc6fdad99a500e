import { describe, expect, it } from 'vitest';
import type { RoutingConstraints } from '../types.ts';
import { chooseModel } from './choose-model.ts';
import type { CandidateEstimate } from './estimate-candidate.ts';
import { combineRuleActions } from './match-rules.ts';
import { describeChoice, describeNoEligible, type RationaleInput } from './rationale.ts';
import { fixedEstimate as est } from './policy-fixtures.test-support.ts';

function sentence(
  estimates: CandidateEstimate[],
  constraints: RoutingConstraints,
  rulesFired: string[] = [],
  taskType: RationaleInput['taskType'] = 'summarization',
  complexity = 0.18,
) {
  const input: RationaleInput = { taskType, complexity, constraints, rulesFired };
  const choice = chooseModel({ estimates, constraints, rules: combineRuleActions([]), promptTokens: 500 });
  return choice.ok ? describeChoice(input, choice.chosen, choice.ranked, choice.metMinQuality) : describeNoEligible(input, choice.ranked);
}

const MINI = est('gpt-4o-mini', 0.91, 0.0002, 2_000);
const GPT4O = est('gpt-4o', 0.95, 0.0028, 4_000);

describe('rationale', () => {
  it('says how much cheaper the chosen model is than the stronger one it beat', () => {
    expect(sentence([GPT4O, MINI], { goal: 'balanced', minQuality: 0.85 }, ['cheap-summaries'])).toBe(
      'summarization, complexity 0.18: gpt-4o-mini predicted 0.91 ≥ required 0.85 at $0.0002, 14× cheaper than gpt-4o (predicted 0.95); rules: cheap-summaries.',
    );
  });

  it('says how much faster for the speed goal', () => {
    expect(sentence([GPT4O, MINI], { goal: 'speed', minQuality: 0.85 })).toBe(
      'summarization, complexity 0.18, goal speed: gpt-4o-mini predicted 0.91 ≥ required 0.85 at $0.0002, 2.0× faster than gpt-4o (predicted 0.95).',
    );
  });

  it('names the cheaper runner-up when the strongest model wins', () => {
    const weakMini = { ...MINI, predictedQuality: 0.58 };
    expect(sentence([GPT4O, weakMini], { goal: 'balanced', minQuality: 0.7 }, ['deep-analysis'], 'reasoning', 0.82)).toBe(
      'reasoning, complexity 0.82: gpt-4o predicted 0.95 ≥ required 0.70 at $0.0028, gpt-4o-mini is 14× cheaper but predicted only 0.58; rules: deep-analysis.',
    );
  });

  it('says so when no model reaches min_quality', () => {
    expect(sentence([GPT4O, MINI], { goal: 'cost', minQuality: 0.97 })).toBe(
      'summarization, complexity 0.18, goal cost: no model reaches the required 0.97, so the best predicted one was chosen, gpt-4o at 0.95 ($0.0028).',
    );
  });

  it('handles a single candidate and a free model', () => {
    expect(sentence([MINI], { goal: 'balanced', minQuality: 0.5 })).toBe(
      'summarization, complexity 0.18: gpt-4o-mini predicted 0.91 ≥ required 0.50 at $0.0002, the only eligible model.',
    );
    const free = est('llama-local', 0.9, 0, 1_000);
    expect(sentence([GPT4O, free], { goal: 'cost', minQuality: 0.5 })).toContain(
      'llama-local predicted 0.90 ≥ required 0.50 at $0, free, unlike gpt-4o (predicted 0.95) at $0.0028',
    );
  });

  it('lists each model with its reason when nothing is eligible', () => {
    expect(sentence([GPT4O, MINI], { goal: 'balanced', minQuality: 0.5, maxCostUsd: 0.0001 }, ['tight'])).toBe(
      'no eligible model for summarization, complexity 0.18: gpt-4o-mini (estimated $0.0002 > max $0.0001), gpt-4o (estimated $0.0028 > max $0.0001); rules: tight.',
    );
  });
});
