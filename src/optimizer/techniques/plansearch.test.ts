import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { OBSERVE_NOTE, planNote, solveNote } from './plansearch.ts';
import { REQUEST, systemNote } from './test-request.test-support.ts';

describe('plansearch', () => {
  it('observes, plans n in one call, solves each plan, and takes the plurality', async () => {
    const s = scriptedComplete((call) => {
      if (call.label === 'plansearch:observe') return 'obs';
      if (call.label === 'plansearch:plan') return ['plan 1', 'plan 2', 'plan 3'];
      return systemNote(call).includes('plan 1') ? 'The answer is C' : 'The answer is B';
    });
    const out = await runTechniqueSpec('plansearch', { request: REQUEST, complete: s.complete, options: { n: 3 } });
    expect(s.calls.map((c) => c.label)).toEqual(['plansearch:observe', 'plansearch:plan', 'plansearch:solve', 'plansearch:solve', 'plansearch:solve']);
    expect(systemNote(s.calls[0]!)).toBe(OBSERVE_NOTE);
    expect(systemNote(s.calls[1]!)).toBe(planNote('obs'));
    expect(s.calls.slice(2).map(systemNote)).toEqual([solveNote('plan 1'), solveNote('plan 2'), solveNote('plan 3')]);
    expect(out.answer).toBe('The answer is B');
    expect(out.bounds.maxUpstreamRequests).toBe(8);
  });

  it('rates the solutions in one more call when they all disagree', async () => {
    const s = scriptedComplete(['obs', ['p1', 'p2'], 'Answer: A', 'Answer: B', 'Candidate 1: 2\nCandidate 2: 8']);
    const out = await runTechniqueSpec('plansearch', { request: REQUEST, complete: s.complete, options: { n: 2 } });
    expect(s.calls.at(-1)!.label).toBe('plansearch:rate');
    expect(out.answer).toBe('Answer: B');
  });
});
