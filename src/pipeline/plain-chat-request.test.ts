import { describe, expect, it } from 'vitest';
import { ChatRequest } from '../providers/chat-schema.ts';
import { plainChatRequest, SCHEMA_FIELDS } from './plain-chat-request.ts';

const base = {
  model: 'm',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hi' },
  ],
};

/** Bodies around the fast path's edges: each must be judged as the schema judges it. */
const CASES: unknown[] = [
  base,
  { ...base, max_tokens: 16, temperature: 0, top_p: 1, stream: true, stream_options: { include_usage: true }, n: 1, seed: 7, user: 'u' },
  { ...base, stream: null, n: null, max_tokens: null, temperature: null, presence_penalty: -2, frequency_penalty: 2, logprobs: true },
  { ...base, parallel_tool_calls: false, max_completion_tokens: 5 },
  { ...base, messages: [{ role: 'assistant', content: null, name: 'bot' }] },
  { ...base, messages: [{ role: 'user' }] },
  { ...base, messages: [{ role: 'user', content: 'x', extra: 1 }] },
  { ...base, temperature: 2.5 },
  { ...base, temperature: -0.1 },
  { ...base, top_p: 1.5 },
  { ...base, n: 0 },
  { ...base, n: 129 },
  { ...base, n: 1.5 },
  { ...base, max_tokens: 0 },
  { ...base, max_tokens: 2 ** 60 },
  { ...base, seed: 1.5 },
  { ...base, stream: 'yes' },
  { ...base, stream_options: { include_usage: 'yes' } },
  { ...base, stream_options: { include_usage: true, other: 1 } },
  { ...base, stream_options: [] },
  { ...base, user: 5 },
  { ...base, model: '' },
  { ...base, model: 5 },
  { model: 'm', messages: [] },
  { model: 'm' },
  { ...base, messages: [{ role: 'robot', content: 'x' }] },
  { ...base, messages: [{ role: 'user', content: 5 }] },
  { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  { ...base, messages: [{ role: 'user', content: 'x', name: 5 }] },
  { ...base, messages: [{ role: 'tool', content: 'x', tool_call_id: 'c1' }] },
  { ...base, messages: [null] },
  { ...base, messages: [['user']] },
  { ...base, tools: [] },
  { ...base, stop: 'x' },
  { ...base, metadata: { a: 'b' } },
  { ...base, aigw: { goal: 'cost' } },
  { ...base, response_format: { type: 'text' } },
  { ...base, toString: 1, constructor: 'x', hasOwnProperty: null },
  [base],
  null,
  'text',
];

describe('plainChatRequest', () => {
  it('accepts only what the schema accepts, with an equal result', () => {
    for (const body of CASES) {
      const fast = plainChatRequest(body);
      const schema = ChatRequest.safeParse(body);
      if (fast !== undefined) {
        expect(schema.success, JSON.stringify(body)).toBe(true);
        expect(fast, JSON.stringify(body)).toEqual(schema.data);
      }
    }
  });

  it('takes the common bodies itself and leaves the rest to the schema', () => {
    expect(plainChatRequest(CASES[1])).toBe(CASES[1]);
    expect(plainChatRequest(CASES[2])).toBe(CASES[2]);
    expect(plainChatRequest({ ...base, tools: [] })).toBeUndefined();
    expect(plainChatRequest({ ...base, temperature: 3 })).toBeUndefined();
  });

  it('knows every field of the schema', () => {
    expect([...SCHEMA_FIELDS].sort()).toEqual(Object.keys(ChatRequest.shape).sort());
  });
});
