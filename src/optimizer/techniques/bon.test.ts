import { describe, expect, it } from 'vitest';
import { runTechniqueSpec, techniqueBounds } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { REQUEST } from './test-request.test-support.ts';

describe('bon', () => {
  it('samples n in one call, rates all of them in one call, returns the best', async () => {
    const s = scriptedComplete([['A', 'B', 'C'], 'Candidate 1: 4\nCandidate 2: 9\nCandidate 3: 9']);
    const out = await runTechniqueSpec('bon', { request: REQUEST, complete: s.complete, options: { n: 3 } });
    expect(s.calls.map((c) => [c.label, c.n ?? 1])).toEqual([
      ['bon:sample', 3],
      ['bon:rate', 1],
    ]);
    expect(s.calls[0]).toEqual({ label: 'bon:sample', messages: REQUEST.messages, n: 3, temperature: 0.8, max_tokens: 100 });
    expect(s.prompts()[1]).toContain('Candidate 1:\nA\n\nCandidate 2:\nB\n\nCandidate 3:\nC');
    expect(s.calls[1]).toMatchObject({ temperature: 0, max_tokens: 16 * 3 + 32 });
    expect(out.answer).toBe('B');
    expect(techniqueBounds('bon', REQUEST, { n: 3 })).toEqual({ maxUpstreamRequests: 4, maxCompletionTokens: 300 + 80 });
  });

  it('keeps the first sample when the rating cannot be read', async () => {
    const s = scriptedComplete([['A', 'B'], 'they are all fine']);
    const out = await runTechniqueSpec('bon', { request: REQUEST, complete: s.complete, options: { n: 2 } });
    expect(out.answer).toBe('A');
  });

  it('refuses n out of range', () => {
    expect(() => techniqueBounds('bon', REQUEST, { n: 40 })).toThrow(/Option 'n' of technique 'bon' must be an integer from 2 to 16/);
  });
});
