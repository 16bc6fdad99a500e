import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { MAJORITY_VOTING_NOTE } from './majority-voting.ts';
import { QUESTION, REQUEST, systemNote } from './test-request.test-support.ts';

describe('majority_voting', () => {
  it('asks k samples for a "Final answer:" line in one call and votes', async () => {
    const s = scriptedComplete([['x\nFinal answer: 12', 'y\nFinal answer: 1,2', 'z\nFinal answer: 12.0']]);
    const out = await runTechniqueSpec('majority_voting', { request: REQUEST, complete: s.complete, options: { k: 3 } });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]).toMatchObject({ n: 3, label: 'majority_voting:sample' });
    expect(systemNote(s.calls[0]!)).toBe(MAJORITY_VOTING_NOTE);
    expect(s.prompts()).toEqual([QUESTION]);
    // "1,2" normalizes to 12 as well: all three agree; the first is returned whole.
    expect(out.answer).toBe('x\nFinal answer: 12');
  });

  it('answer_only returns just the winning answer', async () => {
    const s = scriptedComplete([['Final answer: C', 'Final answer: B', 'Final answer: B']]);
    const out = await runTechniqueSpec('majority_voting', { request: REQUEST, complete: s.complete, options: { k: 3, answer_only: 1 } });
    expect(out.answer).toBe('Final answer: B');
    expect(out.alternatives).toEqual([
      { answer: 'Final answer: C', finishReason: 'stop' },
      { answer: 'Final answer: B', finishReason: 'stop' },
    ]);
  });
});
