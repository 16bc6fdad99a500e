import { describe, expect, it } from 'vitest';
import { GatewayConfig, type GatewayConfigInput } from '../../config/schema.ts';
import type { ChatMessage } from '../../providers/chat-schema.ts';
import { LiveStats } from '../live-stats.ts';
import { techniqueBounds } from '../../optimizer/run-technique.ts';
import { mergeBackendAnswer } from '../backends/merge-backend-answer.ts';
import { createRouter, type RouteOutcome, type RouterInput } from '../router.ts';
import type { RouteDecision } from '../types.ts';
import { estimateCandidate } from './estimate-candidate.ts';
import { candidateId, compileTechniquePlans, techniqueCandidates, type TechniqueBoundsOf } from './technique-candidates.ts';
import { liftedQuality, voteModel } from './technique-lift.ts';
import { analysis, CATALOG, fakePredictor, model } from './policy-fixtures.test-support.ts';

/** Stands in for the techniques' bounds: k upstream requests, each up to the per-call max_tokens. */
const fakeBounds: TechniqueBoundsOf = (_spec, request, options) => {
  const k = options['k'] ?? 3;
  return { maxUpstreamRequests: k, maxCompletionTokens: k * (request.max_tokens ?? 1_000) };
};

const MATH = 'What is 17 * 23 - 4?';
// Math at complexity 0.5 with the fake predictor: gpt-4o-mini 0.70, claude-haiku 0.775, gpt-4o 0.895, llama-local 0.50.
const analyze = (messages: ChatMessage[]) => (messages.at(-1)?.content === MATH ? analysis('math', 0.5, 500) : analysis('chat', 0.3, 200));

type OptimizerInput = NonNullable<GatewayConfigInput['optimizer']>;
const MATH_PLAN: OptimizerInput = { task_types: { math: { technique: 'self_consistency', options: { k: 5 }, tiers: ['economy'] } } };

function router(optimizer: OptimizerInput = MATH_PLAN, withBounds = true) {
  const config = GatewayConfig.parse({ models: CATALOG, routing: { default_min_quality: 0.8 }, optimizer });
  return createRouter({ config, predictor: fakePredictor, analyze, liveStats: new LiveStats(), ...(withBounds ? { techniqueBounds: fakeBounds } : {}) });
}

const ask = (extra: Partial<RouterInput> = {}): RouterInput => ({ routingModel: 'auto-cost', messages: [{ role: 'user', content: MATH }], ...extra });

function decided(outcome: RouteOutcome): RouteDecision {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.decision;
}

const SC = 'gpt-4o-mini+self_consistency(k=5)';

describe('"cheap model + technique" routing candidates', () => {
  it('chooses the cheap model with self-consistency when it is predicted to meet the target for less', () => {
    const d = decided(router().decide(ask()));
    expect(d.chosenModel).toBe('gpt-4o-mini');
    expect(d.technique).toEqual({ spec: 'self_consistency', options: { k: 5 } });
    const sc = d.candidates.find((c) => c.model === SC)!;
    const plain = d.candidates.find((c) => c.model === 'gpt-4o-mini')!;
    const strong = d.candidates.find((c) => c.model === 'gpt-4o')!;
    expect(sc.predictedQuality).toBeCloseTo(liftedQuality(voteModel(5), 0.7), 12);
    expect(sc.predictedQuality).toBeGreaterThanOrEqual(0.8);
    expect(plain.predictedQuality).toBeCloseTo(0.7, 12);
    // Five calls, each paying the prompt (500) and the expected math answer (500 tokens at complexity 0.5).
    expect(sc.estCostUsd).toBeCloseTo((5 * 500 * 0.15 + 5 * 500 * 0.6) / 1e6, 15);
    expect(sc.estCostUsd).toBeLessThan(strong.estCostUsd);
    expect(d.candidates[0]!.model).toBe(SC);
    // Plain models only, best first; the quality-limited ones last.
    expect(d.fallbacks).toEqual(['gpt-4o', 'claude-haiku', 'llama-local']);
    expect(d.rationale).toContain(`${SC} predicted ${sc.predictedQuality.toFixed(2)} ≥ required 0.80`);
    expect(d.rationale).toContain(`3.3× cheaper than gpt-4o (predicted ${strong.predictedQuality.toFixed(2)})`);
    expect(d.rationale).toContain('gpt-4o-mini alone predicted 0.70');
    expect(d.rationale).toContain('5 upstream requests');
    // Quoted in docs/router-policy.md.
    expect(d.rationale).toBe(
      'math, complexity 0.50, goal cost: gpt-4o-mini+self_consistency(k=5) predicted 0.81 ≥ required 0.80 at $0.0019, 3.3× cheaper than gpt-4o (predicted 0.90) (gpt-4o-mini alone predicted 0.70 at $0.00038; 5 upstream requests).',
    );
  });

  it('offers no pairing to a request with tools or n > 1, so the logged decision is what gets served', () => {
    for (const requiredCapabilities of [['tools'], ['n']]) {
      const d = decided(router().decide(ask({ requiredCapabilities })));
      expect(d.technique).toBeUndefined();
      expect(d.candidates.some((c) => c.model === SC)).toBe(false);
      expect(d.rationale).not.toContain('self_consistency');
    }
  });

  it('leaves the technique out when the plain cheap model already meets the target', () => {
    const d = decided(router().decide(ask({ overrides: { minQuality: 0.6 } })));
    expect(d.chosenModel).toBe('gpt-4o-mini');
    expect(d.technique).toBeUndefined();
    expect(d.candidates.some((c) => c.model === SC)).toBe(false);
  });

  it('offered even when the plain model meets the target (only_when_below_target: false), the cheaper plain call still wins on cost', () => {
    const optimizer: OptimizerInput = { task_types: { math: { technique: 'self_consistency', options: { k: 5 }, only_when_below_target: false } } };
    const d = decided(router(optimizer).decide(ask({ overrides: { minQuality: 0.6 } })));
    expect(d.chosenModel).toBe('gpt-4o-mini');
    expect(d.technique).toBeUndefined();
    expect(d.candidates.some((c) => c.model === SC)).toBe(true);
    expect(d.rationale).toContain(`not chosen: ${SC} predicted`);
  });

  it('never proposes a technique when the optimizer is off, globally or for the key', () => {
    const off = decided(router({ ...MATH_PLAN, enabled: false }).decide(ask()));
    expect(off.chosenModel).toBe('gpt-4o');
    expect(off.technique).toBeUndefined();
    expect(off.candidates.every((c) => !c.model.includes('+'))).toBe(true);

    const perKey = router({ ...MATH_PLAN, disabled_keys: ['key_batch', 'nightly-jobs'] });
    expect(decided(perKey.decide(ask({ keyId: 'key_batch' }))).technique).toBeUndefined();
    expect(decided(perKey.decide(ask({ keyId: 'key_other', keyName: 'nightly-jobs' }))).technique).toBeUndefined();
    expect(decided(perKey.decide(ask({ keyId: 'key_other', keyName: 'web' }))).technique).toBeDefined();
  });

  it('without the techniques, or for task types without a plan, routes as before', () => {
    expect(decided(router(MATH_PLAN, false).decide(ask())).technique).toBeUndefined();
    const chat = decided(router().decide(ask({ messages: [{ role: 'user', content: 'hi' }] })));
    expect(chat.candidates.every((c) => !c.model.includes('+'))).toBe(true);
  });

  it('the quality goal still takes the strongest model', () => {
    const d = decided(router().decide(ask({ routingModel: 'auto-quality' })));
    expect(d.chosenModel).toBe('gpt-4o');
    expect(d.technique).toBeUndefined();
    expect(d.candidates.some((c) => c.model === SC)).toBe(true);
    // Quoted in docs/router-policy.md.
    expect(d.rationale).toBe(
      'math, complexity 0.50, goal quality: gpt-4o predicted 0.90 ≥ required 0.80 at $0.0063, gpt-4o-mini+self_consistency(k=5) is 3.3× cheaper but predicted only 0.81; not chosen: llama-local+self_consistency(k=5) predicted 0.59 at $0.',
    );
  });
});

describe('an external backend re-picking', () => {
  it('keeps the technique when the pick stays on its model, drops it when the pick moves to another', () => {
    const outcome = router().decide(ask());
    if (!outcome.ok) throw new Error(outcome.message);
    const agreed = decided(mergeBackendAnswer('routellm', outcome, { ok: true, model: 'gpt-4o-mini', detail: 'weak' }, 10));
    expect(agreed.technique).toEqual({ spec: 'self_consistency', options: { k: 5 } });
    const other = decided(mergeBackendAnswer('routellm', outcome, { ok: true, model: 'gpt-4o', detail: 'strong' }, 10));
    expect(other.chosenModel).toBe('gpt-4o');
    expect(other.technique).toBeUndefined();
  });
});

describe('compileTechniquePlans and techniqueCandidates', () => {
  const config = (plan: OptimizerInput) => GatewayConfig.parse({ models: CATALOG, optimizer: plan }).optimizer;

  it('skips techniques without a quality model and plans over the upstream-request cap', () => {
    const plans = compileTechniquePlans(
      config({
        max_upstream_requests: 8,
        task_types: {
          math: { technique: 'self_consistency', options: { k: 5 } },
          coding: { technique: 'moa' },
          reasoning: { technique: 'majority_voting', options: { k: 9 } },
        },
      }),
      fakeBounds,
    );
    expect([...plans.keys()]).toEqual(['math']);
  });

  it("prices with the techniques' own bounds, and refuses a plan with a bad option at start-up", () => {
    const plan = compileTechniquePlans(config(MATH_PLAN), techniqueBounds).get('math')!;
    expect(plan.vote.samples).toBe(5);
    const [candidate] = techniqueCandidates(plan, [estimateCandidate(model('gpt-4o-mini'), 500, 400, 0.65, { samples: 0 })], 0.8, 500);
    expect(candidate!.estCostUsd).toBeCloseTo((5 * 500 * 0.15 + 5 * 400 * 0.6) / 1e6, 15);
    // The technique's default k (5) when the plan sets none.
    expect(compileTechniquePlans(config({ task_types: { math: { technique: 'self_consistency' } } }), techniqueBounds).get('math')!.vote.samples).toBe(5);
    expect(() => compileTechniquePlans(config({ task_types: { math: { technique: 'self_consistency', options: { k: 99 } } } }), techniqueBounds)).toThrow(
      /^optimizer\.task_types\.math: Option 'k' of technique 'self_consistency' must be/,
    );
  });

  it('takes k from the bounds when the plan leaves it to the technique default', () => {
    const plans = compileTechniquePlans(config({ task_types: { math: { technique: 'majority_voting' } } }), fakeBounds);
    expect(plans.get('math')?.vote.samples).toBe(3);
    expect(plans.get('math')?.label).toBe('majority_voting');
  });

  it('only for models on the plan tiers, and only when the vote lifts them', () => {
    const plan = compileTechniquePlans(config(MATH_PLAN), fakeBounds).get('math')!;
    const plain = ['gpt-4o-mini', 'gpt-4o', 'llama-local'].map((id) =>
      estimateCandidate(model(id), 500, 525, id === 'llama-local' ? 0.1 : 0.65, { samples: 0 }),
    );
    const out = techniqueCandidates(plan, plain, 0.8, 500);
    expect(out.map(candidateId)).toEqual([SC]);
    expect(out[0]!.technique).toMatchObject({ plainQuality: 0.65, upstreamRequests: 5 });
    expect(out[0]!.technique!.plainCostUsd).toBeCloseTo(plain[0]!.estCostUsd, 15);
    expect(out[0]!.estLatencyMs).toBe(plain[0]!.estLatencyMs);
  });
});
