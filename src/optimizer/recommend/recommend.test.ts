import { describe, expect, it } from 'vitest';
import { MaxTokensSizing } from '../../config/optimizer-schema.ts';
import type { ChatRequest } from '../../providers/chat-schema.ts';
import { model } from '../../router/policy/policy-fixtures.test-support.ts';
import type { CandidateScore } from '../../store/types.ts';
import { recommend, type RecommendInput, type RoutingView } from './recommend.ts';
import type { LengthStats } from './size-max-tokens.ts';

const SIZING = MaxTokensSizing.parse({});
const MATH_BODY: ChatRequest = { model: 'auto', messages: [{ role: 'user', content: 'What is 17 * 23 - 4?' }] };

const score = (id: string, predictedQuality: number, estCostUsd: number, eligible = true): CandidateScore => ({
  model: id,
  predictedQuality,
  estCostUsd,
  estLatencyMs: 1_000,
  score: 0,
  eligible,
});

const SC = 'gpt-4o-mini+self_consistency(k=5)';
const TECHNIQUE_ROUTING: RoutingView = {
  chosenModel: 'gpt-4o-mini',
  technique: { spec: 'self_consistency', options: { k: 5 } },
  minQuality: 0.8,
  candidates: [score(SC, 0.81, 0.0019), score('gpt-4o', 0.88, 0.0065), score('gpt-4o-mini', 0.65, 0.00039, false)],
  routerVersion: 'policy-1+fake-1',
};
const PLAIN_ROUTING: RoutingView = {
  chosenModel: 'gpt-4o-mini',
  minQuality: 0.6,
  candidates: [score('gpt-4o-mini', 0.65, 0.00039), score('gpt-4o', 0.88, 0.0065)],
  routerVersion: 'policy-1+fake-1',
};

/** 60 math answers of sim-mini, 201..260 tokens: p95 = 257. */
const MINI_MATH: LengthStats = {
  taskType: 'math',
  model: 'gpt-4o-mini',
  sortedOutputTokens: Array.from({ length: 60 }, (_, i) => 201 + i),
  truncated: 0,
  fromMs: 0,
  toMs: 1,
};

const { model: _own, ...ALL_MATH } = MINI_MATH;

function input(overrides: Partial<RecommendInput>): RecommendInput {
  return {
    request: MATH_BODY,
    taskType: 'math',
    requestedModel: undefined,
    routing: PLAIN_ROUTING,
    // gpt-4o-mini's own answers, and the same numbers as the task type's across models.
    lengths: (taskType, m) => (taskType !== 'math' ? undefined : m === 'gpt-4o-mini' ? MINI_MATH : m === undefined ? ALL_MATH : undefined),
    sizing: SIZING,
    modelById: (id) => (['gpt-4o-mini', 'gpt-4o'].includes(id) ? model(id) : undefined),
    ...overrides,
  };
}

describe('recommend', () => {
  it('for a routed request: the task type sampling and max_tokens from the model own history', () => {
    const r = recommend(input({}));
    expect(r.model).toBe('gpt-4o-mini');
    expect(r.technique).toBeNull();
    expect(r.model_change).toBeNull();
    expect(r.parameters.map((p) => [p.parameter, p.recommended])).toEqual([
      ['temperature', 0],
      ['max_tokens', Math.ceil(257 * 1.25)],
    ]);
    const maxTokens = r.parameters.find((p) => p.parameter === 'max_tokens')!;
    expect(maxTokens.evidence).toMatchObject({ requests: 60, model: 'gpt-4o-mini', percentile_tokens: 257 });
    expect(maxTokens.effect.worst_case_output_tokens).toBe(322 - 16_384);
    expect(r.not_recommended.map((x) => x.what)).toEqual(['technique']);
  });

  it('recommends the technique the router chose, with its predicted lift and extra cost, and leaves sampling to it', () => {
    const r = recommend(input({ routing: TECHNIQUE_ROUTING }));
    expect(r.technique).toMatchObject({ technique: 'self_consistency', options: { k: 5 }, model: 'gpt-4o-mini' });
    expect(r.technique!.effect.quality).toBeCloseTo(0.16, 12);
    expect(r.technique!.effect.cost_usd).toBeCloseTo(0.0019 - 0.00039, 12);
    expect(r.technique!.effect.note).toBe("4.9× the plain call's estimated cost");
    expect(r.technique!.reason).toBe('gpt-4o-mini alone is predicted 0.65 < required 0.80; with self_consistency(k=5) 0.81');
    expect(r.technique!.evidence).toMatchObject({ source: 'router_prediction', router_version: 'policy-1+fake-1' });
    expect(r.parameters.map((p) => p.parameter)).toEqual(['max_tokens']);
    expect(r.not_recommended.map((x) => x.what)).toContain('temperature, top_p');
  });

  it('for a named model, recommends the router choice instead with the cost and quality difference', () => {
    const body = { ...MATH_BODY, model: 'gpt-4o', max_tokens: 100 };
    const r = recommend(input({ request: body, requestedModel: model('gpt-4o'), routing: TECHNIQUE_ROUTING }));
    expect(r.model).toBe('gpt-4o');
    expect(r.model_change).toMatchObject({ current: 'gpt-4o', recommended: 'gpt-4o-mini' });
    expect(r.model_change!.effect.cost_usd).toBeCloseTo(0.0019 - 0.0065, 12);
    expect(r.model_change!.effect.quality).toBeCloseTo(0.81 - 0.88, 12);
    expect(r.technique?.technique).toBe('self_consistency');
    // Sized for gpt-4o as sent, from the task type's lengths (gpt-4o has none of its own); the caller asked for 100, less: kept.
    expect(r.parameters.some((p) => p.parameter === 'max_tokens')).toBe(false);
    expect(r.not_recommended).toContainEqual({ what: 'max_tokens', reason: 'the request already asks for max_tokens 100 ≤ the sized 322' });
  });

  it('says why when there is nothing to change', () => {
    const body = { ...MATH_BODY, model: 'gpt-4o-mini', temperature: 0 };
    const r = recommend(input({ request: body, requestedModel: model('gpt-4o-mini'), lengths: () => undefined }));
    expect(r.parameters).toEqual([]);
    expect(r.model_change).toBeNull();
    expect(r.not_recommended).toEqual([
      { what: 'model', reason: 'the router would choose gpt-4o-mini too' },
      { what: 'technique', reason: 'no technique plan applies (optimizer.task_types), or the plain models already meet the target' },
      { what: 'max_tokens', reason: '0 completed math requests observed; max_tokens is sized from at least 20' },
    ]);
  });
});
