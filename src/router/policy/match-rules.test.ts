import { describe, expect, it } from 'vitest';
import { RoutingRule, type RoutingRule as Rule } from '../../config/schema.ts';
import { combineRuleActions, compileRules, fnv1a32, inPercentSplit, matchRules, ruleMatches, type RuleContext } from './match-rules.ts';
import { MODELS } from './policy-fixtures.test-support.ts';

const ctx: RuleContext = {
  routingModel: 'auto',
  taskType: 'summarization',
  complexity: 0.2,
  promptTokens: 800,
  keyId: 'key-1',
  team: 'search',
  metadata: { env: 'prod', feature: 'digest' },
  requestId: 'req-1',
};

const rule = (input: Partial<RoutingRule> & { action?: Rule['action'] }): Rule => RoutingRule.parse({ name: 'r', action: {}, ...input });

describe('ruleMatches', () => {
  it('matches everything when the match is empty', () => {
    expect(ruleMatches(rule({}), ctx)).toBe(true);
  });

  it.each([
    [{ task_types: ['summarization', 'qa'] }, true],
    [{ task_types: ['coding'] }, false],
    [{ complexity: { max: 0.2 } }, true],
    [{ complexity: { min: 0.21 } }, false],
    [{ prompt_tokens: { min: 500, max: 1_000 } }, true],
    [{ prompt_tokens: { min: 1_000 } }, false],
    [{ keys: ['key-1'] }, true],
    [{ keys: ['key-2'] }, false],
    [{ teams: ['search'] }, true],
    [{ teams: ['ads'] }, false],
    [{ metadata: { env: 'prod' } }, true],
    [{ metadata: { env: 'prod', feature: 'chat' } }, false],
    [{ routing_models: ['auto', 'auto-cost'] }, true],
    [{ routing_models: ['auto-cost'] }, false],
  ] as const)('match %j → %s', (match, expected) => {
    expect(ruleMatches(rule({ match: structuredClone(match) as Rule['match'] }), ctx)).toBe(expected);
  });

  it('never matches a key or team condition when the request has none', () => {
    const anonymous = { ...ctx, keyId: undefined, team: undefined, metadata: undefined };
    expect(ruleMatches(rule({ match: { keys: ['key-1'] } }), anonymous)).toBe(false);
    expect(ruleMatches(rule({ match: { teams: ['search'] } }), anonymous)).toBe(false);
    expect(ruleMatches(rule({ match: { metadata: { env: 'prod' } } }), anonymous)).toBe(false);
  });
});

describe('percent split', () => {
  it('hashes deterministically (FNV-1a reference values)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives the same request the same answer and splits traffic in the given share', () => {
    expect(inPercentSplit('canary', 'req-42', 30)).toBe(inPercentSplit('canary', 'req-42', 30));
    let inside = 0;
    for (let i = 0; i < 10_000; i++) if (inPercentSplit('canary', `req-${i}`, 30)) inside++;
    expect(inside / 10_000).toBeGreaterThan(0.28);
    expect(inside / 10_000).toBeLessThan(0.32);
    expect(inPercentSplit('canary', 'req-1', 0)).toBe(false);
    expect(inPercentSplit('canary', 'req-1', 100)).toBe(true);
  });

  it('applies a rule only to its share of requests', () => {
    const canary = rule({ percent: 50 });
    const fired = Array.from({ length: 1_000 }, (_, i) => ruleMatches(canary, { ...ctx, requestId: `r${i}` }));
    const share = fired.filter(Boolean).length / 1_000;
    expect(share).toBeGreaterThan(0.44);
    expect(share).toBeLessThan(0.56);
  });
});

describe('combineRuleActions', () => {
  const rules = compileRules(
    [
      rule({ name: 'base', action: { require: ['tier:economy', 'tier:standard'], prefer: ['claude-haiku'], goal: 'cost', min_quality: 0.8 } }),
      rule({ name: 'no-local', action: { exclude: ['llama-local'], max_cost_usd: 0.01 } }),
      rule({ name: 'coding-only', match: { task_types: ['coding'] }, action: { exclude: ['gpt-4o'] } }),
      rule({ name: 'team', match: { teams: ['search'] }, action: { require: ['gpt-4o-mini', 'gpt-4o'], prefer: ['gpt-4o-mini'], min_quality: 0.6 } }),
    ],
    MODELS,
  );

  it('fires the matching rules in config order and combines their actions', () => {
    const fired = matchRules(rules, ctx);
    expect(fired.map((r) => r.rule.name)).toEqual(['base', 'no-local', 'team']);
    const combined = combineRuleActions(fired);
    expect(combined.fired).toEqual(['base', 'no-local', 'team']);
    // require lists intersect: a model must be in every one
    expect(combined.requires.map((r) => [r.rule, [...r.models]])).toEqual([
      ['base', ['gpt-4o-mini', 'llama-local', 'claude-haiku']],
      ['team', ['gpt-4o-mini', 'gpt-4o']],
    ]);
    // exclusions add up and remember the rule
    expect([...combined.excludedBy]).toEqual([['llama-local', 'no-local']]);
    // the later rule's preferences come first
    expect(combined.prefer).toEqual(['gpt-4o-mini', 'claude-haiku']);
    // goal and constraints: the last rule that sets one wins
    expect(combined.goal).toBe('cost');
    expect(combined.minQuality).toBe(0.6);
    expect(combined.maxCostUsd).toBe(0.01);
    expect(combined.maxLatencyMs).toBeUndefined();
  });

  it('is empty when nothing fires', () => {
    const combined = combineRuleActions([]);
    expect(combined).toMatchObject({ fired: [], requires: [], prefer: [] });
    expect(combined.excludedBy.size).toBe(0);
    expect(combined.goal).toBeUndefined();
  });
});
