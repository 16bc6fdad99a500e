import { describe, expect, it } from 'vitest';
import { runTechniqueSpec } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { none } from './none.ts';
import { REQUEST } from './test-request.test-support.ts';

describe('none', () => {
  it('sends the client messages once', async () => {
    const s = scriptedComplete(['B']);
    const out = await runTechniqueSpec('none', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls).toEqual([{ label: 'none', messages: REQUEST.messages, max_tokens: 100 }]);
    expect(out.answer).toBe('B');
    expect(none.bounds(REQUEST, {})).toEqual({ maxUpstreamRequests: 1, maxCompletionTokens: 100 });
  });
});
