import { describe, expect, it } from 'vitest';
import { runTechniqueSpec, techniqueMaxChoices } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { selfConsistency } from './self-consistency.ts';
import { REQUEST } from './test-request.test-support.ts';

describe('self_consistency', () => {
  it('asks for k samples in ONE call and returns the first sample of the majority answer', async () => {
    const s = scriptedComplete([['The answer is A', 'The answer is (b)', 'Answer: C', 'B', 'the answer is b.']]);
    const out = await runTechniqueSpec('self_consistency', { request: REQUEST, complete: s.complete, options: { k: 5, temperature: 0.9 } });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]).toEqual({ label: 'self_consistency:sample', messages: REQUEST.messages, n: 5, temperature: 0.9, max_tokens: 100 });
    expect(out.answer).toBe('The answer is (b)');
  });

  it("ranks the other samples as alternatives: other answers by votes, then the majority's other samples", async () => {
    const s = scriptedComplete([['Answer: A', 'B', 'Answer: C', 'the answer is b', 'C', 'b.']]);
    const out = await runTechniqueSpec('self_consistency', { request: REQUEST, complete: s.complete, options: { k: 6 } });
    // B has three votes, A one, C two: B (first seen at 1), C (2), A (0), then B's and C's other samples.
    expect([out.answer, ...(out.alternatives ?? []).map((a) => a.answer)]).toEqual(['B', 'Answer: C', 'Answer: A', 'the answer is b', 'b.', 'C']);
    expect(s.calls).toHaveLength(1);
    expect(techniqueMaxChoices('self_consistency', { k: 6 })).toBe(6);
    expect(techniqueMaxChoices('re2&self_consistency', {})).toBe(5);
    expect(techniqueMaxChoices('self_consistency&re2', {})).toBe(1);
    expect(techniqueMaxChoices('self_consistency|majority_voting', {})).toBe(1);
  });

  it('counts emulated n as k upstream requests in its bounds and in the call record', async () => {
    const s = scriptedComplete([['B', 'B', 'A']], { supportsN: false });
    const out = await runTechniqueSpec('self_consistency', { request: REQUEST, complete: s.complete, options: { k: 3 } });
    expect(selfConsistency.bounds(REQUEST, { k: 3 })).toEqual({ maxUpstreamRequests: 3, maxCompletionTokens: 300 });
    expect(out.calls[0]!.upstreamRequests).toBe(3);
    expect(out.answer).toBe('B');
  });

  it('refuses a temperature out of range', () => {
    expect(() => selfConsistency.bounds(REQUEST, { temperature: 0 })).toThrow(/'temperature' of technique 'self_consistency' must be a number from 0.1 to 2/);
  });
});
