import { describe, expect, it } from 'vitest';
import { loadTextFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { mapOpenAIError, mapOpenAIInlineError } from './map-openai-error.ts';

const body = (name: string): string => loadTextFixture(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('mapOpenAIError', () => {
  it.each([
    ['error-context-length.json', 400, 'context_length', 'context_length_exceeded'],
    ['error-rate-limit.json', 429, 'rate_limited', 'rate_limit_exceeded'],
    ['error-insufficient-quota.json', 429, 'auth', 'insufficient_quota'],
    ['error-invalid-key.json', 401, 'auth', 'invalid_api_key'],
    ['error-server.json', 500, 'server_error', 'server_error'],
    ['error-vllm-context.json', 400, 'context_length', 'BadRequestError'],
    ['error-ollama.json', 404, 'not_found', undefined],
    ['error-llamacpp-context.json', 400, 'context_length', 'exceed_context_size_error'],
  ] as const)('%s (HTTP %i) → %s', (file, status, kind, providerCode) => {
    const err = mapOpenAIError(status, body(file), {});
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.providerCode).toBe(providerCode);
    expect(err.message.length).toBeGreaterThan(5);
  });

  it('carries retry-after-ms from the headers', () => {
    const err = mapOpenAIError(429, body('error-rate-limit.json'), { 'retry-after': '2', 'retry-after-ms': '1500' });
    expect(err.retryAfterMs).toBe(1_500);
  });

  it('keeps a non-JSON body (a proxy HTML page) as the message', () => {
    const err = mapOpenAIError(502, '<html><body>502 Bad Gateway</body></html>', {});
    expect(err).toEqual({ kind: 'server_error', status: 502, message: '<html><body>502 Bad Gateway</body></html>' });
    expect(mapOpenAIError(503, '', {}).message).toBe('upstream returned HTTP 503');
    expect(mapOpenAIError(503, '', {}).kind).toBe('overloaded');
  });
});

describe('mapOpenAIInlineError', () => {
  it('infers a status from a numeric code or the error type', () => {
    expect(mapOpenAIInlineError({ error: { code: 429, message: 'slow down' } })).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(mapOpenAIInlineError({ error: { message: 'boom', type: 'server_error' } })).toMatchObject({
      kind: 'server_error',
      status: 500,
    });
    expect(mapOpenAIInlineError({ error: { message: 'too long', code: 'context_length_exceeded' } })).toMatchObject({
      kind: 'context_length',
      status: 400,
    });
    expect(mapOpenAIInlineError({ choices: [] })).toBeUndefined();
  });
});
