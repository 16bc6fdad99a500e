import { describe, expect, it } from 'vitest';
import { loadTextFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { mapGeminiError, mapGeminiInlineError } from './map-gemini-error.ts';

const body = (name: string): string => loadTextFixture(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('mapGeminiError', () => {
  it.each([
    ['error-resource-exhausted.json', 429, 'rate_limited', 'RESOURCE_EXHAUSTED'],
    ['error-api-key-invalid.json', 400, 'auth', 'INVALID_ARGUMENT'],
    ['error-token-limit.json', 400, 'context_length', 'INVALID_ARGUMENT'],
    ['error-invalid-argument.json', 400, 'bad_request', 'INVALID_ARGUMENT'],
    ['error-unavailable.json', 503, 'overloaded', 'UNAVAILABLE'],
    ['error-permission-denied.json', 403, 'auth', 'PERMISSION_DENIED'],
    ['error-not-found.json', 404, 'not_found', 'NOT_FOUND'],
    ['error-internal.json', 500, 'server_error', 'INTERNAL'],
    ['error-deadline.json', 504, 'timeout', 'DEADLINE_EXCEEDED'],
  ] as const)('%s (HTTP %i) → %s', (file, status, kind, providerCode) => {
    expect(mapGeminiError(status, body(file), {})).toMatchObject({ kind, status, providerCode });
  });

  it('reads RetryInfo.retryDelay, and a retry-after header wins over it', () => {
    expect(mapGeminiError(429, body('error-resource-exhausted.json'), {}).retryAfterMs).toBe(37_000);
    expect(mapGeminiError(429, body('error-resource-exhausted.json'), { 'retry-after': '3' }).retryAfterMs).toBe(3_000);
  });

  it('keeps non-JSON bodies as the message', () => {
    expect(mapGeminiError(502, 'Bad Gateway', {})).toEqual({ kind: 'server_error', status: 502, message: 'Bad Gateway' });
  });
});

describe('mapGeminiInlineError', () => {
  it('uses the error code as the status', () => {
    expect(mapGeminiInlineError({ error: { code: 503, message: 'busy', status: 'UNAVAILABLE' } })).toMatchObject({
      kind: 'overloaded',
      status: 503,
    });
    expect(mapGeminiInlineError({ candidates: [] })).toBeUndefined();
  });
});
