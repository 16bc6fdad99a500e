import { describe, expect, it } from 'vitest';
import { errorKindForStatus, looksLikeContextLengthError, truncateMessage } from './error-kind.ts';

describe('errorKindForStatus', () => {
  it.each([
    [429, 'rate_limited'],
    [529, 'overloaded'],
    [503, 'overloaded'],
    [504, 'timeout'],
    [408, 'timeout'],
    [401, 'auth'],
    [403, 'auth'],
    [500, 'server_error'],
    [502, 'server_error'],
    [400, 'bad_request'],
    [404, 'not_found'],
    [405, 'not_found'],
    [422, 'bad_request'],
    [200, 'server_error'],
  ] as const)('%i → %s', (status, kind) => {
    expect(errorKindForStatus(status)).toBe(kind);
  });
});

describe('looksLikeContextLengthError', () => {
  it('recognises the phrasings providers use', () => {
    for (const m of [
      "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
      'prompt is too long: 208310 tokens > 200000 maximum',
      'input length and `max_tokens` exceed context limit: 190000 + 20000 > 200000',
      'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
      'the request exceeds the available context size, try increasing it',
      'context_length_exceeded',
    ]) {
      expect(looksLikeContextLengthError(m), m).toBe(true);
    }
  });

  it('does not flag ordinary validation errors', () => {
    expect(looksLikeContextLengthError('max_tokens: 100000 > 64000, which is the maximum allowed')).toBe(false);
    expect(looksLikeContextLengthError('Invalid value for temperature')).toBe(false);
  });
});

describe('truncateMessage', () => {
  it('keeps short messages and cuts long ones', () => {
    expect(truncateMessage('  hi ')).toBe('hi');
    expect(truncateMessage('x'.repeat(10), 4)).toBe('xxxx…');
  });
});
