import { describe, expect, it } from 'vitest';
import { loadJsonFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { mapGeminiResponse } from './map-gemini-response.ts';

const fixture = (name: string): unknown => loadJsonFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const target = makeTestTarget('gemini', { id: 'flash' });

describe('mapGeminiResponse', () => {
  it('maps text with the responseId, and usage with cached and thought tokens', () => {
    const { completion, usage } = mapGeminiResponse(fixture('response-text.json'), target, 'req1');
    expect(completion).toMatchObject({
      id: 'mAitaLmkHPPlz7IPvtfUqQ4',
      model: 'flash',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'AI learns patterns from data to make predictions.' } }],
      usage: { prompt_tokens: 12000, completion_tokens: 1200, total_tokens: 13200 },
    });
    expect(usage).toEqual({ inputTokens: 12000, cachedInputTokens: 8000, cacheWriteTokens: 0, outputTokens: 1200, reasoningTokens: 900 });
  });

  it('maps function calls to tool_calls with generated ids and finish_reason tool_calls', () => {
    const { completion } = mapGeminiResponse(fixture('response-function-call.json'), target, 'req1');
    expect(completion.id).toBe('chatcmpl-req1');
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: null,
        tool_calls: [
          { id: 'call_req1_0_0', type: 'function', function: { name: 'get_current_temperature', arguments: '{"location":"London"}' } },
          { id: 'call_req1_0_1', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Europe/London"}' } },
        ],
      },
    });
  });

  it('maps candidates to choices and thought parts to reasoning_content', () => {
    const { completion } = mapGeminiResponse(fixture('response-thoughts-two-candidates.json'), target, 'req1');
    expect(completion.choices).toHaveLength(2);
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: "There are 3 r's in strawberry.",
      reasoning_content: "**Counting letters**\nThere are three r's.",
    });
    expect(completion.choices[1]).toMatchObject({ index: 1, finish_reason: 'length', message: { content: 'Three' } });
  });

  it('maps SAFETY and a blocked prompt to content_filter', () => {
    expect(mapGeminiResponse(fixture('response-safety.json'), target, 'r').completion.choices[0]).toMatchObject({
      finish_reason: 'content_filter',
      message: { content: '' },
    });
    const blocked = mapGeminiResponse(fixture('response-prompt-blocked.json'), target, 'r');
    expect(blocked.completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter', logprobs: null }]);
    expect(blocked.usage?.inputTokens).toBe(9);
  });

  it('rejects a body that is not a GenerateContentResponse', () => {
    expect(() => mapGeminiResponse({ error: { code: 500 } }, target, 'r')).toThrow(UpstreamCallError);
  });
});
