import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { DESCRIBE_PROMPT, reconcileNote } from './rto.ts';
import { QUESTION, REQUEST, systemNote } from './test-request.test-support.ts';

describe('rto', () => {
  it('stops after three calls when the round trip agrees', async () => {
    const s = scriptedComplete(['The answer is B', 'Which planet is the biggest?', 'Jupiter; the answer is b.']);
    const out = await runTechniqueSpec('rto', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls.map((c) => c.label)).toEqual(['rto:answer', 'rto:describe', 'rto:reanswer']);
    expect(s.prompts()).toEqual([QUESTION, `${DESCRIBE_PROMPT}\n\nResponse:\nThe answer is B`, 'Which planet is the biggest?']);
    expect(out.answer).toBe('The answer is B');
  });

  it('reconciles in a fourth call when the answers differ', async () => {
    const s = scriptedComplete(['Answer: A', 'task', 'Answer: B', 'Answer: B']);
    const out = await runTechniqueSpec('rto', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls.at(-1)!.label).toBe('rto:reconcile');
    expect(systemNote(s.calls[3]!)).toBe(reconcileNote('Answer: A', 'Answer: B'));
    expect(out.answer).toBe('Answer: B');
    expect(out.bounds.maxUpstreamRequests).toBe(4);
  });
});
