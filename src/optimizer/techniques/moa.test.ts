import { describe, expect, it } from 'vitest';
import { runTechniqueSpec, techniqueBounds } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { aggregateNote, critiqueNote } from './moa.ts';
import { QUESTION, REQUEST, systemNote } from './test-request.test-support.ts';

describe('moa', () => {
  it('proposes n in one call, critiques in one, aggregates in one; the question stays last', async () => {
    const s = scriptedComplete([['p1', 'p2', 'p3'], 'c: p2 is right', 'The answer is B']);
    const out = await runTechniqueSpec('moa', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls.map((c) => [c.label, c.n ?? 1])).toEqual([
      ['moa:propose', 3],
      ['moa:critique', 1],
      ['moa:aggregate', 1],
    ]);
    expect(s.prompts()).toEqual([QUESTION, QUESTION, QUESTION]);
    expect(systemNote(s.calls[1]!)).toBe(critiqueNote(['p1', 'p2', 'p3']));
    expect(systemNote(s.calls[2]!)).toBe(aggregateNote(['p1', 'p2', 'p3'], 'c: p2 is right'));
    expect(out.answer).toBe('The answer is B');
    expect(out.bounds).toEqual({ maxUpstreamRequests: 5, maxCompletionTokens: 500 });
  });

  it('refuses an option of another technique', () => {
    expect(() => techniqueBounds('moa', REQUEST, { k: 3 })).toThrow(/Option 'k' is not an option of moa; its options are: n, temperature/);
  });
});
