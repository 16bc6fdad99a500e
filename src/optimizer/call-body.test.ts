import { describe, expect, it } from 'vitest';
import { ChatRequest } from '../providers/chat-schema.ts';
import { callBody } from './call-body.ts';

const question = [{ role: 'user' as const, content: 'What is 17 * 3? Give the final answer.' }];

describe('callBody', () => {
  it('sends the call messages and overrides, never a stream, and n only above 1', () => {
    const request = ChatRequest.parse({
      model: 'm',
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 500,
      temperature: 0.1,
      seed: 7,
    });
    const body = callBody(request, { label: 'l', messages: [{ role: 'user', content: 'rephrased' }], max_tokens: 64, temperature: 1 }, 1);
    expect(body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'rephrased' }], stream: false, max_completion_tokens: 64, temperature: 1, seed: 7 });
    const withN = callBody(ChatRequest.parse({ model: 'm', messages: question, max_tokens: 100 }), { label: 'l', messages: question, max_tokens: 50 }, 4);
    expect(withN).toMatchObject({ n: 4, max_tokens: 50 });
    expect(withN).not.toHaveProperty('max_completion_tokens');
  });
});
