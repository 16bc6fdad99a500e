import { describe, expect, it } from 'vitest';
import { ProviderType } from '../config/schema.ts';
import { ChatRequest } from './chat-schema.ts';
import { adapterFor } from './registry.ts';
import { makeTestTarget } from './shared/target.test-support.ts';

describe('adapterFor', () => {
  const req = ChatRequest.parse({ model: 'auto', messages: [{ role: 'user', content: 'hi' }] });

  it.each([
    ['openai', '/chat/completions', 'authorization'],
    ['anthropic', '/v1/messages', 'x-api-key'],
    ['gemini', '/v1beta/models/catalog-model:streamGenerateContent?alt=sse', 'x-goog-api-key'],
  ] as const)('%s builds requests for its own wire format', (type, path, authHeader) => {
    const out = adapterFor(type).buildRequest(req, makeTestTarget(type), { stream: true });
    expect(out.path).toBe(path);
    expect(Object.keys(out.headers)).toContain(authHeader);
  });

  it('has an adapter for every configurable provider type', () => {
    for (const type of ProviderType.options) {
      const adapter = adapterFor(type);
      expect(typeof adapter.mapResponse).toBe('function');
      expect(typeof adapter.createStreamMapper(makeTestTarget(type), 'r').done).toBe('function');
    }
  });
});
