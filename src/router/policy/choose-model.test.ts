import { describe, expect, it } from 'vitest';
import type { RoutingConstraints } from '../types.ts';
import { chooseModel, type ChooseModelInput } from './choose-model.ts';
import { combineRuleActions, type CombinedRuleAction } from './match-rules.ts';
import { fixedEstimate as est } from './policy-fixtures.test-support.ts';

// A cheap fast model, a mid one, and a strong slow expensive one.
const MINI = est('gpt-4o-mini', 0.86, 0.0003, 3_700);
const HAIKU = est('claude-haiku', 0.88, 0.0018, 4_800);
const GPT4O = est('gpt-4o', 0.94, 0.005, 5_600);
const ALL = [GPT4O, HAIKU, MINI];

function choose(constraints: Partial<RoutingConstraints>, extra: Partial<ChooseModelInput> = {}, rules: Partial<CombinedRuleAction> = {}) {
  return chooseModel({
    estimates: ALL,
    constraints: { goal: 'balanced', minQuality: 0.7, ...constraints },
    rules: { ...combineRuleActions([]), ...rules },
    promptTokens: 1_000,
    ...extra,
  });
}

function chosenId(result: ReturnType<typeof chooseModel>): string | undefined {
  return result.ok ? result.chosen.model.id : undefined;
}

describe('chooseModel goals', () => {
  it('cost: the cheapest model meeting min_quality', () => {
    expect(chosenId(choose({ goal: 'cost' }))).toBe('gpt-4o-mini');
    expect(chosenId(choose({ goal: 'cost', minQuality: 0.87 }))).toBe('claude-haiku');
  });

  it('speed: the fastest model meeting min_quality', () => {
    const slowMini = { estimates: [GPT4O, HAIKU, { ...MINI, estLatencyMs: 9_000 }] };
    expect(chosenId(choose({ goal: 'speed' }, slowMini))).toBe('claude-haiku');
  });

  it('quality: the highest predicted quality', () => {
    expect(chosenId(choose({ goal: 'quality' }))).toBe('gpt-4o');
  });

  it('balanced: cost first above min_quality; a dearer model wins only when much better for little more money', () => {
    expect(chosenId(choose({ goal: 'balanced' }))).toBe('gpt-4o-mini');
    // +0.18 predicted at 17× the price: the cheap model meets the floor, so it stays the choice.
    const farDearer = {
      estimates: [
        { ...GPT4O, predictedQuality: 0.9 },
        { ...MINI, predictedQuality: 0.72 },
      ],
    };
    expect(chosenId(choose({ goal: 'balanced' }, farDearer))).toBe('gpt-4o-mini');
    // The same gain at twice the price is worth it.
    const slightlyDearer = {
      estimates: [
        { ...GPT4O, predictedQuality: 0.9, estCostUsd: 0.0006 },
        { ...MINI, predictedQuality: 0.72 },
      ],
    };
    expect(chosenId(choose({ goal: 'balanced' }, slightlyDearer))).toBe('gpt-4o');
  });

  it('ranks the eligible by score and falls back in that order', () => {
    const result = choose({ goal: 'cost' });
    expect(result.ok && result.fallbacks).toEqual(['claude-haiku', 'gpt-4o']);
    expect(result.ranked.every((c) => c.status === 'eligible')).toBe(true);
  });
});

describe('chooseModel constraints', () => {
  it('min_quality: candidates under it are kept only as fallbacks, best predicted first', () => {
    const result = choose({ goal: 'cost', minQuality: 0.9 });
    expect(chosenId(result)).toBe('gpt-4o');
    expect(result.ok && result.fallbacks).toEqual(['claude-haiku', 'gpt-4o-mini']);
    const mini = result.ranked.find((c) => c.model.id === 'gpt-4o-mini');
    expect(mini).toMatchObject({ status: 'quality_limited', reason: 'predicted quality 0.86 < required 0.90' });
  });

  it('min_quality nobody meets: takes the highest-quality candidate and says it did not meet it', () => {
    const result = choose({ goal: 'cost', minQuality: 0.99 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.chosen.model.id).toBe('gpt-4o');
    expect(result.metMinQuality).toBe(false);
    expect(result.fallbacks).toEqual(['claude-haiku', 'gpt-4o-mini']);
  });

  it('max_cost_usd drops the models estimated above it', () => {
    const result = choose({ goal: 'quality', maxCostUsd: 0.002 });
    expect(chosenId(result)).toBe('claude-haiku');
    expect(result.ranked.at(-1)).toMatchObject({ status: 'ineligible', reasonCode: 'over_max_cost', reason: 'estimated $0.005 > max $0.002' });
  });

  it('max_latency_ms drops the models estimated slower', () => {
    const result = choose({ goal: 'quality', maxLatencyMs: 4_000 });
    expect(chosenId(result)).toBe('gpt-4o-mini');
    expect(result.ok && result.fallbacks).toEqual([]);
    expect(result.ranked.filter((c) => c.reasonCode === 'over_max_latency').map((c) => c.model.id)).toEqual(['gpt-4o', 'claude-haiku']);
  });

  it('required capabilities drop models without them', () => {
    const result = choose({ goal: 'cost' }, { requiredCapabilities: ['vision'] });
    expect(chosenId(result)).toBe('gpt-4o-mini');
    expect(result.ranked.find((c) => c.model.id === 'claude-haiku')?.reason).toBe('no vision support');
  });

  it('context window must hold the prompt and the output room', () => {
    const local = est('llama-local', 0.95, 0, 500);
    const result = chooseModel({
      estimates: [local, MINI],
      constraints: { goal: 'cost', minQuality: 0.7 },
      rules: combineRuleActions([]),
      promptTokens: 7_000,
      requestMaxOutputTokens: 1_500,
    });
    expect(chosenId(result)).toBe('gpt-4o-mini');
    expect(result.ranked[1]).toMatchObject({ reasonCode: 'context_window', reason: 'context window 8192 < 8500 tokens needed' });
  });

  it('an open circuit breaker drops the model', () => {
    const result = choose({ goal: 'cost' }, { estimates: [GPT4O, { ...MINI, breakerOpen: true }] });
    expect(chosenId(result)).toBe('gpt-4o');
    expect(result.ranked[1]).toMatchObject({ reasonCode: 'breaker_open' });
  });
});

describe('chooseModel rules', () => {
  it('exclude and require remove models, naming the rule', () => {
    const result = choose(
      { goal: 'cost' },
      {},
      { excludedBy: new Map([['gpt-4o-mini', 'no-mini']]), requires: [{ rule: 'big-only', models: new Set(['gpt-4o', 'gpt-4o-mini']) }] },
    );
    expect(chosenId(result)).toBe('gpt-4o');
    expect(result.ranked.map((c) => c.reason)).toEqual([undefined, 'excluded by rule no-mini', 'not among the models rule big-only requires']);
  });

  it('prefer adds a bonus that wins close calls only', () => {
    const close = { estimates: [{ ...GPT4O, predictedQuality: 0.92 }, HAIKU, MINI] };
    expect(chosenId(choose({ goal: 'quality' }, close))).toBe('gpt-4o');
    expect(chosenId(choose({ goal: 'quality' }, close, { prefer: ['claude-haiku'] }))).toBe('claude-haiku');
    expect(chosenId(choose({ goal: 'quality' }, {}, { prefer: ['claude-haiku'] }))).toBe('gpt-4o');
    expect(chosenId(choose({ goal: 'cost' }, {}, { prefer: ['gpt-4o'] }))).toBe('gpt-4o-mini');
  });
});

describe('chooseModel with nothing eligible', () => {
  it('returns every model with its reason; 400 when the request rules them out', () => {
    const result = choose({ goal: 'cost', maxCostUsd: 0.0001 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.httpStatus).toBe(400);
    expect(result.ranked.map((c) => c.reasonCode)).toEqual(['over_max_cost', 'over_max_cost', 'over_max_cost']);
  });

  it('503 when an open breaker is part of the reason', () => {
    const result = choose({}, { estimates: [{ ...MINI, breakerOpen: true }, GPT4O], requiredCapabilities: ['audio'] });
    expect(!result.ok && result.httpStatus).toBe(400);
    const withBreaker = choose(
      {},
      {
        estimates: [
          { ...MINI, breakerOpen: true },
          { ...GPT4O, breakerOpen: true },
        ],
      },
    );
    expect(!withBreaker.ok && withBreaker.httpStatus).toBe(503);
  });
});
