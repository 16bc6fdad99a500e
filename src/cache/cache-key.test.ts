import { describe, expect, it } from 'vitest';
import type { ModelConfig, ProviderConfig } from '../config/schema.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { answerShapingFields, cacheNamespace, canonicalJson, responseCacheKey } from './cache-key.ts';

function target(modelId: string, providerId = 'sim', upstreamModel?: string): UpstreamTarget {
  const model = { id: modelId, provider: providerId, ...(upstreamModel ? { upstream_model: upstreamModel } : {}) } as ModelConfig;
  return { model, provider: { id: providerId } as ProviderConfig, apiKey: undefined };
}

const BASE: ChatRequest = { model: 'auto', messages: [{ role: 'user', content: 'What is 2+2?' }], temperature: 0 };
const T = target('sim-mini');
const key = (body: ChatRequest, ns = 'open', t = T) => responseCacheKey(ns, t, body);

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});

describe('responseCacheKey', () => {
  it('is a SHA-256 hex digest, the same for the same request whatever the key order', () => {
    const reordered = { temperature: 0, messages: [{ content: 'What is 2+2?', role: 'user' }], model: 'auto' } as ChatRequest;
    expect(key(BASE)).toMatch(/^[0-9a-f]{64}$/);
    expect(key(reordered)).toBe(key(BASE));
  });

  it('is shared by stream and non-stream requests and ignores delivery and logging fields', () => {
    const streamed: ChatRequest = { ...BASE, stream: true, stream_options: { include_usage: true }, user: 'u1', metadata: { app: 'x' }, model: 'sim-mini' };
    expect(key(streamed)).toBe(key(BASE));
  });

  it('treats a top-level null as the parameter left out', () => {
    expect(key({ ...BASE, top_p: null, stop: null })).toBe(key(BASE));
  });

  it('differs for every sampling parameter, tools, response format and unknown pass-through fields', () => {
    const variants: Array<Partial<ChatRequest> & Record<string, unknown>> = [
      { temperature: 0.5 },
      { top_p: 0.9 },
      { n: 2 },
      { max_tokens: 10 },
      { max_completion_tokens: 10 },
      { stop: ['\n'] },
      { seed: 7 },
      { presence_penalty: 0.5 },
      { frequency_penalty: 0.5 },
      { logit_bias: { '50256': -100 } },
      { tools: [{ type: 'function', function: { name: 'calc' } }] },
      { tool_choice: 'none' },
      { parallel_tool_calls: false },
      { response_format: { type: 'json_object' } },
      { reasoning_effort: 'low' },
      { messages: [{ role: 'user', content: 'What is 2+3?' }] },
    ];
    const keys = new Set([key(BASE), ...variants.map((v) => key({ ...BASE, ...v }))]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('differs by namespace, provider, model and upstream model', () => {
    const keys = new Set([
      key(BASE),
      key(BASE, 'team:search'),
      key(BASE, 'open', target('sim-mini', 'other')),
      key(BASE, 'open', target('sim-nano')),
      key(BASE, 'open', target('sim-mini', 'sim', 'mini-2025')),
    ]);
    expect(keys.size).toBe(5);
  });

  it('keeps the fields that shape the answer and drops the rest', () => {
    expect(Object.keys(answerShapingFields({ ...BASE, stream: true, user: 'u', seed: 1 })).sort()).toEqual(['messages', 'seed', 'temperature']);
  });
});

describe('cacheNamespace', () => {
  it('is the team for keys in one, else the key, and one namespace without keys', () => {
    expect(cacheNamespace({ id: 'k1', team: 'search' }, false)).toBe('team:search');
    expect(cacheNamespace({ id: 'k2', team: 'search' }, false)).toBe('team:search');
    expect(cacheNamespace({ id: 'k1', team: null }, false)).toBe('key:k1');
    expect(cacheNamespace({ id: 'search', team: null }, false)).not.toBe(cacheNamespace({ id: 'x', team: 'search' }, false));
    expect(cacheNamespace(undefined, false)).toBe('open');
    expect(cacheNamespace(undefined, true)).toBe('admin');
  });
});
