import { describe, expect, it } from 'vitest';
import { loadJsonFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { mapOpenAIResponse } from './map-openai-response.ts';

const fixture = (name: string): unknown => loadJsonFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const target = makeTestTarget('openai', { id: 'smart', upstream_model: 'gpt-4.1' });

describe('mapOpenAIResponse', () => {
  it('preserves the completion, reports the catalog model and normalizes cached/reasoning usage', () => {
    const { completion, usage } = mapOpenAIResponse(fixture('completion-text.json'), target, 'req1');
    expect(completion.id).toBe('chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT');
    expect(completion.model).toBe('smart');
    expect(completion.system_fingerprint).toBe('fp_b376dfbbd5');
    expect((completion as unknown as { service_tier: string }).service_tier).toBe('default');
    expect(completion.choices[0]).toMatchObject({
      index: 0,
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'Hello! How can I assist you today?', annotations: [] },
    });
    expect(usage).toEqual({
      inputTokens: 2006,
      cachedInputTokens: 1920,
      cacheWriteTokens: 0,
      outputTokens: 300,
      reasoningTokens: 256,
    });
    expect(completion.usage?.completion_tokens_details).toMatchObject({ reasoning_tokens: 256, accepted_prediction_tokens: 0 });
  });

  it('keeps tool calls and the tool_calls finish reason', () => {
    const { completion, usage } = mapOpenAIResponse(fixture('completion-tool-calls.json'), target, 'req1');
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('get_current_weather');
    expect(usage?.inputTokens).toBe(82);
  });

  it('fills a missing id from the request id and tolerates missing usage (llama.cpp)', () => {
    const { completion, usage } = mapOpenAIResponse(fixture('completion-llamacpp-no-usage.json'), target, 'req9');
    expect(completion.id).toBe('chatcmpl-req9');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(usage).toBeUndefined();
    expect(completion.usage).toBeUndefined();
  });

  it('throws UpstreamCallError for a 200 response that carries an error body', () => {
    const body = fixture('error-context-length.json');
    expect(() => mapOpenAIResponse(body, target, 'r')).toThrow(UpstreamCallError);
    try {
      mapOpenAIResponse(body, target, 'r');
    } catch (err) {
      expect((err as UpstreamCallError).upstream.kind).toBe('context_length');
    }
    expect(() => mapOpenAIResponse('<html>', target, 'r')).toThrow(/not a chat completion/);
  });
});
