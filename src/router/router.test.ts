import { describe, expect, it } from 'vitest';
import type { GatewayConfigInput } from '../config/schema.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import { LiveStats } from './live-stats.ts';
import { analysis, fakePredictor, gatewayConfig } from './policy/policy-fixtures.test-support.ts';
import { createRouter, POLICY_VERSION, type RouteOutcome, type RouterDeps, type RouterInput } from './router.ts';
import type { PromptAnalysis, RouteDecision } from './types.ts';

const SUMMARIZE = 'Summarize this meeting note in two sentences.';
const ANALYZE = 'Compare the three vendor proposals step by step, weigh risks, and recommend one with reasons.';

/** Stands in for the prompt analyzer: the two story prompts and a plain chat. */
function fakeAnalyze(messages: ChatMessage[]): PromptAnalysis {
  const text = typeof messages.at(-1)?.content === 'string' ? (messages.at(-1)?.content as string) : '';
  if (text === SUMMARIZE) return analysis('summarization', 0.18, 800);
  if (text === ANALYZE) return analysis('reasoning', 0.85, 2_000);
  return analysis('chat', 0.3, 200);
}

const STORY_RULES: GatewayConfigInput['routing'] = {
  default_min_quality: 0.7,
  rules: [
    {
      name: 'cheap-summaries',
      description: 'Easy summaries, labels and extractions go to the economy tier when it is good enough.',
      match: { task_types: ['summarization', 'classification', 'extraction'], complexity: { max: 0.4 } },
      action: { prefer: ['tier:economy'], min_quality: 0.8 },
    },
    {
      name: 'deep-analysis',
      description: 'Hard reasoning needs a strong model; never the local one.',
      match: { task_types: ['reasoning', 'math', 'coding'], complexity: { min: 0.6 } },
      action: { min_quality: 0.8, exclude: ['llama-local'] },
    },
  ],
};

function router(routing: GatewayConfigInput['routing'] = STORY_RULES, deps: Partial<RouterDeps> = {}) {
  return createRouter({ config: gatewayConfig(routing), predictor: fakePredictor, analyze: fakeAnalyze, liveStats: new LiveStats(), ...deps });
}

const ask = (text: string, extra: Partial<RouterInput> = {}): RouterInput => ({
  routingModel: 'auto',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

function decided(outcome: RouteOutcome): RouteDecision {
  if (!outcome.ok) throw new Error(`expected a decision, got: ${outcome.message}`);
  return outcome.decision;
}

describe('story 2.2 demonstrations', () => {
  it('routes a simple summarization to the cheaper, faster model', () => {
    const d = decided(router().decide(ask(SUMMARIZE)));
    expect(d.chosenModel).toBe('gpt-4o-mini');
    expect(d.taskType).toBe('summarization');
    expect(d.language).toBe('en');
    expect(d.rulesFired).toEqual(['cheap-summaries']);
    expect(d.constraints).toEqual({ goal: 'balanced', minQuality: 0.8 });
    const mini = d.candidates.find((c) => c.model === 'gpt-4o-mini');
    const gpt4o = d.candidates.find((c) => c.model === 'gpt-4o');
    expect(mini && gpt4o && gpt4o.estCostUsd / mini.estCostUsd).toBeGreaterThan(10);
    expect(mini && gpt4o && mini.estLatencyMs < gpt4o.estLatencyMs).toBe(true);
    expect(d.rationale).toBe(
      'summarization, complexity 0.18: gpt-4o-mini predicted 0.86 ≥ required 0.80 at $0.00024, 17× cheaper than gpt-4o (predicted 0.94); rules: cheap-summaries.',
    );
  });

  it('routes a detailed multi-step analysis to the more capable, more expensive model', () => {
    const d = decided(router().decide(ask(ANALYZE)));
    expect(d.chosenModel).toBe('gpt-4o');
    expect(d.taskType).toBe('reasoning');
    expect(d.rulesFired).toEqual(['deep-analysis']);
    expect(d.constraints.minQuality).toBe(0.8);
    expect(d.fallbacks).toEqual(['claude-haiku', 'gpt-4o-mini']);
    expect(d.candidates.find((c) => c.model === 'llama-local')).toMatchObject({ eligible: false, reason: 'excluded by rule deep-analysis' });
    expect(d.rationale).toBe(
      'reasoning, complexity 0.85: gpt-4o predicted 0.84 ≥ required 0.80 at $0.013, claude-haiku is 2.7× cheaper but predicted only 0.65; rules: deep-analysis.',
    );
  });
});

describe('decision log content', () => {
  it('carries task, complexity, candidates with their numbers, rules, rationale, version and time', () => {
    let clockNs = 0n;
    const r = router(STORY_RULES, { now: () => (clockNs += 7_000n) });
    const d = decided(r.decide(ask(SUMMARIZE)));
    expect(d.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.routingModel).toBe('auto');
    expect(d.complexity).toBe(0.18);
    expect(d.routerVersion).toBe(`${POLICY_VERSION}+fake-1`);
    expect(r.version).toBe(d.routerVersion);
    expect(d.decisionUs).toBe(7);
    expect(d.candidates).toHaveLength(4);
    for (const c of d.candidates) {
      expect(c).toEqual(
        expect.objectContaining({
          predictedQuality: expect.any(Number),
          estCostUsd: expect.any(Number),
          estLatencyMs: expect.any(Number),
          score: expect.any(Number),
        }),
      );
    }
    expect(d.candidates[0]?.model).toBe(d.chosenModel);
    expect(d.candidates.at(-1)).toMatchObject({ model: 'llama-local', eligible: false, reason: 'predicted quality 0.72 < required 0.80' });
    // Balanced is cost first above the floor: the cheaper eligible model is the first fallback.
    expect(d.fallbacks).toEqual(['claude-haiku', 'gpt-4o', 'llama-local']);
  });
});

describe('goals through the router', () => {
  it.each([
    ['auto', 'gpt-4o-mini'],
    ['auto-cost', 'gpt-4o-mini'],
    ['auto-speed', 'gpt-4o-mini'],
    ['auto-quality', 'gpt-4o'],
  ])('%s picks %s for a plain chat', (routingModel, expected) => {
    expect(decided(router({}).decide(ask('hello', { routingModel }))).chosenModel).toBe(expected);
  });

  it('a free model wins the cost goal once it is good enough', () => {
    const d = decided(router({}).decide(ask('hello', { routingModel: 'auto-cost', overrides: { minQuality: 0.6 } })));
    expect(d.chosenModel).toBe('llama-local');
  });

  it('a virtual model limits the candidates', () => {
    const routing = { virtual_models: { 'auto-cheap': { goal: 'quality' as const, candidates: ['tier:economy'] } } };
    const d = decided(router(routing).decide(ask('hello', { routingModel: 'auto-cheap' })));
    expect(d.chosenModel).toBe('gpt-4o-mini');
    expect(d.candidates.map((c) => c.model).sort()).toEqual(['gpt-4o-mini', 'llama-local']);
  });
});

describe('caller overrides', () => {
  it('goal from the caller beats the virtual model and the rules', () => {
    const d = decided(router().decide(ask(SUMMARIZE, { overrides: { goal: 'quality' } })));
    expect(d.chosenModel).toBe('gpt-4o');
    expect(d.constraints.goal).toBe('quality');
    expect(d.rationale).toContain('goal quality');
  });

  it('min quality from the caller beats the rule', () => {
    const d = decided(router().decide(ask(SUMMARIZE, { overrides: { minQuality: 0.9 } })));
    expect(d.constraints.minQuality).toBe(0.9);
    expect(d.chosenModel).toBe('gpt-4o');
  });

  it('max cost from the caller removes the expensive models', () => {
    const d = decided(router().decide(ask(ANALYZE, { overrides: { maxCostUsd: 0.01 } })));
    expect(d.candidates.find((c) => c.model === 'gpt-4o')?.reason).toBe('estimated $0.013 > max $0.01');
    expect(d.chosenModel).toBe('claude-haiku');
    expect(d.rationale).toContain('no model reaches the required 0.80');
  });

  it('max latency from the caller removes the slow models', () => {
    const d = decided(router().decide(ask(ANALYZE, { overrides: { maxLatencyMs: 13_000, minQuality: 0.5 } })));
    expect(d.candidates.find((c) => c.model === 'gpt-4o')?.reason).toMatch(/^estimated \d+ ms > max 13000 ms$/);
    // Both remaining models meet the caller's 0.5; balanced takes the cheaper one.
    expect(d.chosenModel).toBe('gpt-4o-mini');
  });
});

describe('rules through the router', () => {
  it('matches on key, team and metadata and combines with the task rules', () => {
    const routing: GatewayConfigInput['routing'] = {
      rules: [
        ...(STORY_RULES.rules ?? []),
        { name: 'team-research', match: { teams: ['research'] }, action: { require: ['tier:premium', 'tier:standard'] } },
        { name: 'batch-jobs', match: { metadata: { priority: 'batch' } }, action: { goal: 'cost', min_quality: 0.6 } },
      ],
    };
    const d = decided(router(routing).decide(ask(SUMMARIZE, { team: 'research', metadata: { priority: 'batch' } })));
    expect(d.rulesFired).toEqual(['cheap-summaries', 'team-research', 'batch-jobs']);
    expect(d.constraints).toEqual({ goal: 'cost', minQuality: 0.6 });
    expect(d.chosenModel).toBe('claude-haiku');
    expect(d.rationale).toContain('rules: cheap-summaries, team-research, batch-jobs');
  });

  it('splits A/B rules by request id, the same way every time', () => {
    const routing: GatewayConfigInput['routing'] = { rules: [{ name: 'try-haiku', percent: 50, action: { require: ['claude-haiku'] } }] };
    const r = router(routing);
    const picks = Array.from({ length: 200 }, (_, i) => decided(r.decide(ask('hello', { requestId: `req-${i}` }))).chosenModel);
    const again = Array.from({ length: 200 }, (_, i) => decided(r.decide(ask('hello', { requestId: `req-${i}` }))).chosenModel);
    expect(again).toEqual(picks);
    const share = picks.filter((m) => m === 'claude-haiku').length / picks.length;
    expect(share).toBeGreaterThan(0.38);
    expect(share).toBeLessThan(0.62);
  });

  it('refuses to start with rules naming unknown models or tiers', () => {
    expect(() => router({ rules: [{ name: 'typo', action: { prefer: ['gpt-5', 'tier:gold'] } }] })).toThrow(
      'routing config names unknown models or tiers: rule typo: gpt-5, tier:gold',
    );
  });
});

describe('live performance', () => {
  it('skips a model whose breaker is open and one failing most calls', () => {
    const open = decided(router(STORY_RULES, { isBreakerOpen: (id) => id === 'gpt-4o-mini' }).decide(ask(SUMMARIZE)));
    expect(open.chosenModel).not.toBe('gpt-4o-mini');
    expect(open.candidates.find((c) => c.model === 'gpt-4o-mini')?.reason).toBe('circuit breaker open');

    const liveStats = new LiveStats();
    for (let i = 0; i < 200; i++) liveStats.record('gpt-4o-mini', { outputTokens: 0, durationMs: 100, ok: i % 2 === 0 });
    const flaky = decided(router(STORY_RULES, { liveStats }).decide(ask(SUMMARIZE)));
    expect(flaky.chosenModel).not.toBe('gpt-4o-mini');
  });

  it('uses observed latency for the speed goal', () => {
    const liveStats = new LiveStats();
    for (let i = 0; i < 500; i++) liveStats.record('gpt-4o-mini', { ttftMs: 20_000, outputTokens: 100, durationMs: 40_000, ok: true });
    const d = decided(router({}, { liveStats }).decide(ask('hello', { routingModel: 'auto-speed' })));
    expect(d.chosenModel).not.toBe('gpt-4o-mini');
  });
});

describe('no eligible model', () => {
  it('explains, model by model, with a 400 when the request asks for what nobody has', () => {
    const outcome = router().decide(ask(SUMMARIZE, { requiredCapabilities: ['audio'] }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.httpStatus).toBe(400);
    expect(outcome.candidates.map((c) => c.reason)).toEqual(Array(4).fill('no audio support'));
    expect(outcome.message).toMatch(/^no eligible model for summarization, complexity 0\.18: .*gpt-4o \(no audio support\).*; rules: cheap-summaries\.$/);
    expect(outcome.decisionUs).toBeGreaterThanOrEqual(0);
  });

  it('answers 503 when open breakers are why', () => {
    const outcome = router({}, { isBreakerOpen: () => true }).decide(ask('hello'));
    expect(outcome.ok === false && outcome.httpStatus).toBe(503);
  });

  it('rejects an unknown routing model', () => {
    const outcome = router().decide(ask('hello', { routingModel: 'auto-magic' }));
    expect(outcome.ok === false && outcome.message).toBe('unknown routing model auto-magic; configured: auto, auto-cost, auto-quality, auto-speed.');
    expect(router().decide(ask('hello', { routingModel: 'constructor' })).ok).toBe(false);
  });
});

describe('speed', () => {
  // Decision time is measured by npm run bench:router (p99 at 2,000 tokens), not here: no wall time in unit tests.
  it('reports the time each decision took', () => {
    const decision = decided(router().decide(ask(ANALYZE)));
    expect(decision.decisionUs).toBeGreaterThan(0);
    expect(Number.isFinite(decision.decisionUs)).toBe(true);
  });
  it("logs the predictor's trust and says in the rationale when an unfamiliar prompt was routed on task-level quality", () => {
    const withTrust = (trust: number) => ({ ...fakePredictor, trust: () => ({ trust, unfamiliar: trust < 0.05 }) });
    const low = decided(router(STORY_RULES, { predictor: withTrust(0.01) }).decide(ask(SUMMARIZE)));
    expect(low.trust).toBe(0.01);
    expect(low.rationale).toContain('unfamiliar prompt: routed on task-level quality');
    const high = decided(router(STORY_RULES, { predictor: withTrust(0.8) }).decide(ask(SUMMARIZE)));
    expect(high.trust).toBe(0.8);
    expect(high.rationale).not.toContain('unfamiliar');
    // A predictor without a trust value logs none.
    expect(decided(router().decide(ask(SUMMARIZE))).trust).toBeUndefined();
  });
});
