import { describe, expect, it } from 'vitest';
import { GatewayError } from '../util/errors.ts';
import { parseChatRequest } from './parse-chat-request.ts';

function errorOf(body: unknown): GatewayError {
  try {
    parseChatRequest(body);
  } catch (err) {
    return err as GatewayError;
  }
  throw new Error('expected an error');
}

describe('parseChatRequest', () => {
  it('accepts a minimal body and keeps unknown OpenAI fields', () => {
    const req = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], logprobs: true });
    expect(req.model).toBe('m');
    expect((req as Record<string, unknown>).logprobs).toBe(true);
  });

  it('names a missing field', () => {
    const err = errorOf({ model: 'm' });
    expect(err.status).toBe(400);
    expect(err.param).toBe('messages');
    expect(err.message).toBe("Missing required parameter: 'messages'.");
  });

  it('names a nested invalid field', () => {
    const err = errorOf({ model: 'm', messages: [{ role: 'robot', content: 'x' }] });
    expect(err.param).toBe('messages[0].role');
  });

  it('rejects out-of-range sampling parameters', () => {
    expect(errorOf({ model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 3 }).param).toBe('temperature');
  });

  it('rejects a non-object body', () => {
    expect(errorOf([1, 2]).param).toBe('body');
  });
});
