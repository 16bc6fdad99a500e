import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { COT_REFLECTION_PROMPT } from './cot-reflection.ts';
import { QUESTION, REQUEST, systemNote } from './test-request.test-support.ts';

describe('cot_reflection', () => {
  it('makes one call with the reflection prompt and returns the output section', async () => {
    const s = scriptedComplete(['<thinking>big</thinking><reflection>ok</reflection><output>The answer is B</output>']);
    const out = await runTechniqueSpec('cot_reflection', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls).toHaveLength(1);
    expect(systemNote(s.calls[0]!)).toBe(COT_REFLECTION_PROMPT);
    expect(s.prompts()).toEqual([QUESTION]);
    expect(out.answer).toBe('The answer is B');
  });

  it('returns the whole text when the model ignored the format', async () => {
    const s = scriptedComplete(['B, Jupiter']);
    const out = await runTechniqueSpec('cot_reflection', { request: REQUEST, complete: s.complete, options: {} });
    expect(out.answer).toBe('B, Jupiter');
  });
});
