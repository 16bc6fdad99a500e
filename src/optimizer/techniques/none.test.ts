import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.ts';
import { none } from './none.ts';
import { re2 } from './re2.ts';
import { QUESTION, REQUEST } from './test-request.test-support.ts';

describe('none and re2', () => {
  it('none sends the client messages once', async () => {
    const s = scriptedComplete(['B']);
    const out = await runTechniqueSpec('none', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls).toEqual([{ label: 'none', messages: REQUEST.messages, max_tokens: 100 }]);
    expect(out.answer).toBe('B');
    expect(none.bounds(REQUEST, {})).toEqual({ maxUpstreamRequests: 1, maxCompletionTokens: 100 });
  });

  it('re2 repeats the question once, in one call, and uses the default cap without a client max_tokens', async () => {
    const s = scriptedComplete(['B']);
    const request = { ...REQUEST, max_tokens: undefined };
    await runTechniqueSpec('re2', { request, complete: s.complete, options: {} });
    expect(s.prompts()).toEqual([`${QUESTION}\nRead the question again: ${QUESTION}`]);
    expect(s.calls[0]!.max_tokens).toBe(2048);
    expect(re2.bounds(request, {})).toEqual({ maxUpstreamRequests: 1, maxCompletionTokens: 2048 });
  });
});
