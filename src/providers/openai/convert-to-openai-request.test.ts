import { describe, expect, it } from 'vitest';
import { ChatRequest } from '../chat-schema.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { convertToOpenAIRequest } from './convert-to-openai-request.ts';

const request = ChatRequest.parse({
  model: 'auto',
  messages: [{ role: 'user', content: 'hi' }],
  temperature: 0.2,
  logit_bias: { '50256': -100 },
  aigw: { goal: 'cost' },
  stream: true,
  stream_options: { include_usage: false },
});

describe('convertToOpenAIRequest', () => {
  it('streams with include_usage forced on, the upstream model name, and no aigw field', () => {
    const target = makeTestTarget('openai', { id: 'fast', upstream_model: 'gpt-4o-mini' });
    const out = convertToOpenAIRequest(request, target, { stream: true });
    expect(out.path).toBe('/chat/completions');
    expect(out.headers.authorization).toBe('Bearer test-key');
    expect(JSON.parse(out.body)).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      logit_bias: { '50256': -100 },
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('drops stream and stream_options for a non-stream call (OpenAI rejects stream_options without stream)', () => {
    const out = JSON.parse(convertToOpenAIRequest(request, makeTestTarget('openai'), { stream: false }).body) as Record<string, unknown>;
    expect(out.stream).toBeUndefined();
    expect(out.stream_options).toBeUndefined();
    expect(out.model).toBe('catalog-model');
  });

  it('sends no authorization header to keyless local servers', () => {
    const target = { ...makeTestTarget('openai'), apiKey: undefined };
    expect(convertToOpenAIRequest(request, target, { stream: false }).headers.authorization).toBeUndefined();
  });
});
