import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { principlesNote, PRINCIPLES_NOTE } from './leap.ts';
import { QUESTION, REQUEST, systemNote } from './test-request.test-support.ts';

describe('leap', () => {
  it('derives principles in one call and answers with them in a second', async () => {
    const s = scriptedComplete(['- do not confuse mass and radius', 'The answer is B']);
    const out = await runTechniqueSpec('leap', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls.map((c) => c.label)).toEqual(['leap:principles', 'leap:answer']);
    expect(systemNote(s.calls[0]!)).toBe(PRINCIPLES_NOTE);
    expect(systemNote(s.calls[1]!)).toBe(principlesNote('- do not confuse mass and radius'));
    expect(s.prompts()).toEqual([QUESTION, QUESTION]);
    expect(out.answer).toBe('The answer is B');
    expect(out.bounds).toEqual({ maxUpstreamRequests: 2, maxCompletionTokens: 200 });
  });
});
