import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { HELPFUL_NOTE, improveNote, SNEAKY_NOTE } from './pvg.ts';
import { REQUEST, systemNote } from './test-request.test-support.ts';

describe('pvg', () => {
  it('per round: n helpful and n sneaky in one call each, one verifier call; best helpful wins', async () => {
    const s = scriptedComplete((call) => {
      if (call.label === 'pvg:helpful') return systemNote(call).includes('best solution so far') ? ['h3', 'h4'] : ['h1', 'h2'];
      if (call.label === 'pvg:sneaky') return ['s1', 's2'];
      // Round 1: a sneaky one fools the verifier, but only helpful ones can win; round 2: h4.
      return call.messages.some((m) => String(m.content).includes('h3')) ? 'Candidate 1: 5\nCandidate 2: 8' : 'Candidate 1: 3\nCandidate 2: 6\nCandidate 3: 9';
    });
    const out = await runTechniqueSpec('pvg', { request: REQUEST, complete: s.complete, options: { n: 2, rounds: 2 } });
    expect(s.calls.map((c) => [c.label, c.n ?? 1])).toEqual([
      ['pvg:helpful', 2],
      ['pvg:sneaky', 2],
      ['pvg:verify', 1],
      ['pvg:helpful', 2],
      ['pvg:sneaky', 2],
      ['pvg:verify', 1],
    ]);
    expect(systemNote(s.calls[0]!)).toBe(HELPFUL_NOTE);
    expect(systemNote(s.calls[1]!)).toBe(SNEAKY_NOTE);
    expect(s.prompts()[2]).toContain('Candidate 4:\ns2');
    expect(systemNote(s.calls[3]!)).toBe(improveNote('h2'));
    expect(out.answer).toBe('h4');
    expect(out.bounds.maxUpstreamRequests).toBe(10);
  });
});
