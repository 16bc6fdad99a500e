import { describe, expect, it } from 'vitest';
import type { RouteDecision } from '../router/types.ts';
import type { CandidateScore } from '../store/types.ts';
import { decisionRowOf, roundStored, storedCandidatesJson } from './decision-row.ts';

describe('roundStored', () => {
  it('keeps 5 significant digits at every scale, as short decimals', () => {
    expect(roundStored(0.7942224794330118)).toBe(0.79422);
    expect(roundStored(383.33333333333337)).toBe(383.33);
    expect(roundStored(0.0000126)).toBe(0.0000126);
    expect(String(roundStored(0.000012345678))).toBe('0.000012346');
    expect(roundStored(-0.62209798457)).toBe(-0.6221);
    expect(roundStored(123456789)).toBe(123460000);
    expect(roundStored(0)).toBe(0);
    expect(roundStored(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('storedCandidatesJson', () => {
  const candidates: CandidateScore[] = [
    {
      model: 'sim-mini',
      predictedQuality: 0.7942224794330118,
      estCostUsd: 0.0000126,
      estLatencyMs: 383.33333333333337,
      score: 0.7942224794330118,
      eligible: true,
    },
    {
      model: 'a "quoted"\nid+cot',
      predictedQuality: 0.5,
      estCostUsd: 1.5e-9,
      estLatencyMs: 600,
      score: Number.NaN,
      eligible: false,
      reason: 'context window 8192 < 9000 tokens needed',
    },
  ];

  it('is the JSON of the candidates with cost and latency rounded, quality and score exact (non-finite as null)', () => {
    const rounded = candidates.map((c) => ({
      ...c,
      estCostUsd: roundStored(c.estCostUsd),
      estLatencyMs: roundStored(c.estLatencyMs),
      score: Number.isFinite(c.score) ? c.score : null,
    }));
    expect(storedCandidatesJson(candidates)).toBe(JSON.stringify(rounded));
    expect((JSON.parse(storedCandidatesJson(candidates)) as Array<{ score: unknown }>)[1]!.score).toBeNull();
    expect(storedCandidatesJson([])).toBe('[]');
  });

  it('drops cost and latency digits past the fifth, never quality or score digits', () => {
    const text = storedCandidatesJson(candidates);
    expect(text).toContain('"predictedQuality":0.7942224794330118,');
    expect(text).toContain('"score":0.7942224794330118,');
    expect(text).toContain('"estLatencyMs":383.33,');
    expect(text).not.toContain('383.333');
  });
});

describe('decisionRowOf', () => {
  const odd = ['plain-rule', 'a "quoted" name', 'back\\slash', 'tab\there', 'ünïcödé ✓ 😀', 'lone \ud800 surrogate', 'del \u007f', 'line\u2028sep', ''];
  const decision: RouteDecision = {
    id: 'd1',
    routingModel: 'auto',
    taskType: 'qa',
    complexity: 0.18,
    language: 'en',
    constraints: { goal: 'balanced', minQuality: 0.7 },
    chosenModel: 'sim-mini',
    candidates: [{ model: 'sim-"odd"\nid', predictedQuality: 0.8, estCostUsd: 1e-5, estLatencyMs: 300, score: 0.8, eligible: false, reason: odd[3]! }],
    fallbacks: odd,
    rulesFired: [],
    rationale: 'why',
    routerVersion: 'policy-1+x',
    decisionUs: 40,
  };

  it('stores rules and fallbacks as the JSON of their strings, escapes included', () => {
    const row = decisionRowOf({ ...decision, rulesFired: odd }, 'r1', 1);
    expect(row.rules).toBe(JSON.stringify(odd));
    expect(row.fallbacks).toBe(JSON.stringify(odd));
    expect(JSON.parse(row.candidates)).toEqual([{ ...decision.candidates[0], estLatencyMs: 300 }]);
    expect(row.candidates).toBe(storedCandidatesJson(decision.candidates));
    expect(decisionRowOf(decision, 'r1', 1).rules).toBe('[]');
  });
});
