import { describe, expect, it } from 'vitest';
import { loadTextFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { mapAnthropicError, mapAnthropicStreamError } from './map-anthropic-error.ts';

const body = (name: string): string => loadTextFixture(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('mapAnthropicError', () => {
  it.each([
    ['error-overloaded.json', 529, 'overloaded', 'overloaded_error'],
    ['error-rate-limit.json', 429, 'rate_limited', 'rate_limit_error'],
    ['error-spend-limit.json', 429, 'auth', 'rate_limit_error'],
    ['error-prompt-too-long.json', 400, 'context_length', 'invalid_request_error'],
    ['error-invalid-request.json', 400, 'bad_request', 'invalid_request_error'],
    ['error-authentication.json', 401, 'auth', 'authentication_error'],
    ['error-not-found.json', 404, 'not_found', 'not_found_error'],
    ['error-api.json', 500, 'server_error', 'api_error'],
  ] as const)('%s (HTTP %i) → %s', (file, status, kind, providerCode) => {
    const err = mapAnthropicError(status, body(file), {});
    expect(err).toMatchObject({ kind, status, providerCode });
  });

  it('takes retry-after from the headers', () => {
    expect(mapAnthropicError(429, body('error-rate-limit.json'), { 'retry-after': '12' }).retryAfterMs).toBe(12_000);
  });

  it('falls back to the status for non-JSON bodies', () => {
    expect(mapAnthropicError(502, 'upstream connect error', {})).toEqual({
      kind: 'server_error',
      status: 502,
      message: 'upstream connect error',
    });
  });
});

describe('mapAnthropicStreamError', () => {
  it('gives in-stream errors the status they have outside a stream', () => {
    expect(mapAnthropicStreamError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toEqual({
      kind: 'overloaded',
      status: 529,
      message: 'Overloaded',
      providerCode: 'overloaded_error',
    });
    expect(mapAnthropicStreamError({ type: 'error' })).toMatchObject({ kind: 'server_error', status: 500 });
  });
});
