import { describe, expect, it } from 'vitest';
import { loadJsonFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';

const fixture = (name: string): unknown => loadJsonFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const target = makeTestTarget('anthropic', { id: 'claude' });

describe('mapAnthropicResponse', () => {
  it('maps a text message with the upstream id and catalog model', () => {
    const { completion, usage } = mapAnthropicResponse(fixture('message-text.json'), target, 'req1');
    expect(completion).toMatchObject({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      model: 'claude',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi! My name is Claude.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2095, completion_tokens: 503, total_tokens: 2598 },
    });
    expect(usage).toEqual({ inputTokens: 2095, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 503, reasoningTokens: 0 });
  });

  it('maps tool_use blocks to tool_calls with JSON arguments', () => {
    const { completion } = mapAnthropicResponse(fixture('message-tool-use.json'), target, 'req1');
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe("I'll check the current weather in San Francisco for you.");
    expect(choice?.message.tool_calls).toEqual([
      {
        id: 'toolu_01A09q90qw90lq917835lq9',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
      },
    ]);
  });

  it('puts thinking in reasoning_content and counts cache reads and writes inside the prompt', () => {
    const { completion, usage } = mapAnthropicResponse(fixture('message-thinking-cached.json'), target, 'req1');
    expect(completion.choices[0]?.message).toMatchObject({
      content: 'The answer is 4.',
      reasoning_content: 'The user wants the sum. 2 + 2 = 4.',
    });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(usage).toEqual({ inputTokens: 189107, cachedInputTokens: 1000, cacheWriteTokens: 188086, outputTokens: 393, reasoningTokens: 0 });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(1000);
  });

  it('turns the JSON response tool back into text with finish_reason stop', () => {
    const { completion } = mapAnthropicResponse(fixture('message-json-tool.json'), target, 'req1');
    expect(completion.choices[0]?.message.content).toBe('{"city":"Paris","population_millions":2.1}');
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('maps a refusal to content_filter', () => {
    const { completion } = mapAnthropicResponse(fixture('message-refusal.json'), target, 'req1');
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: '' } });
  });

  it('rejects a body that is not a message', () => {
    expect(() => mapAnthropicResponse({ type: 'error' }, target, 'r')).toThrow(UpstreamCallError);
  });
});
