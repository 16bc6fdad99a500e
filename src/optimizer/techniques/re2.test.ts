import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../providers/chat-schema.ts';
import { runTechniqueSpec, techniqueBounds } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { re2, RE2_PREFIX } from './re2.ts';
import { QUESTION, REQUEST } from './test-request.test-support.ts';

describe('re2', () => {
  it('makes one call with the question stated twice and returns that call’s answer', async () => {
    const s = scriptedComplete([{ texts: ['The answer is B'], finishReasons: ['length'] }]);
    const out = await runTechniqueSpec('re2', { request: REQUEST, complete: s.complete, options: {} });
    expect(s.calls).toEqual([{ label: 're2', messages: [{ role: 'user', content: `${QUESTION}\n${RE2_PREFIX}${QUESTION}` }], max_tokens: 100 }]);
    expect(out).toMatchObject({ answer: 'The answer is B', finishReason: 'length', technique: 're2' });
    expect(out.calls.map((c) => [c.label, c.upstreamRequests])).toEqual([['re2', 1]]);
  });

  it('rewrites only the last user message; system and earlier turns go as they were', async () => {
    const request: ChatRequest = {
      model: 'cheap',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: QUESTION },
      ],
    };
    const s = scriptedComplete(['B']);
    await runTechniqueSpec('re2', { request, complete: s.complete, options: {} });
    expect(s.calls[0]!.messages).toEqual([...request.messages.slice(0, 3), { role: 'user', content: `${QUESTION}\n${RE2_PREFIX}${QUESTION}` }]);
  });

  it('uses the default per-call cap without a client max_tokens, and states one request up front', async () => {
    const s = scriptedComplete(['B']);
    const request = { ...REQUEST, max_tokens: undefined };
    await runTechniqueSpec('re2', { request, complete: s.complete, options: {} });
    expect(s.calls[0]!.max_tokens).toBe(2048);
    expect(re2.bounds(request, {})).toEqual({ maxUpstreamRequests: 1, maxCompletionTokens: 2048 });
  });

  it('takes no options', () => {
    expect(() => techniqueBounds('re2', REQUEST, { k: 3 })).toThrow(/Option 'k' is not an option of re2; it takes no options/);
  });
});
