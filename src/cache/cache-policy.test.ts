import { describe, expect, it } from 'vitest';
import { CacheConfig } from '../config/cache-schema.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import { decideCacheUse, isSampled } from './cache-policy.ts';

const on = CacheConfig.parse({ enabled: true });
const msg: ChatRequest['messages'] = [{ role: 'user', content: 'hi' }];
const greedy: ChatRequest = { model: 'm', messages: msg, temperature: 0 };
const sampled: ChatRequest = { model: 'm', messages: msg };

describe('isSampled', () => {
  it('is false only for temperature 0 or a seed', () => {
    expect(isSampled(greedy)).toBe(false);
    expect(isSampled({ ...sampled, seed: 3 })).toBe(false);
    expect(isSampled(sampled)).toBe(true);
    expect(isSampled({ ...sampled, temperature: 0.7 })).toBe(true);
    expect(isSampled({ ...sampled, temperature: null, seed: null })).toBe(true);
  });
});

describe('decideCacheUse', () => {
  it('is off when the cache is disabled, whatever the request says', () => {
    expect(decideCacheUse(CacheConfig.parse({}), { 'x-aigw-cache': 'force' }, greedy)).toEqual({ use: 'off' });
  });

  it('uses the cache for deterministic requests', () => {
    expect(decideCacheUse(on, {}, greedy)).toEqual({ use: 'use' });
    expect(decideCacheUse(on, {}, { ...sampled, temperature: 1, seed: 42 })).toEqual({ use: 'use' });
  });

  it('bypasses on the client headers', () => {
    expect(decideCacheUse(on, { 'x-aigw-cache': 'bypass' }, greedy)).toEqual({ use: 'bypass', reason: 'client' });
    expect(decideCacheUse(on, { 'x-aigw-cache': 'BYPASS' }, greedy)).toEqual({ use: 'bypass', reason: 'client' });
    expect(decideCacheUse(on, { 'cache-control': 'no-cache' }, greedy)).toEqual({ use: 'bypass', reason: 'client' });
    expect(decideCacheUse(on, { 'cache-control': 'max-age=0, no-store' }, greedy)).toEqual({ use: 'bypass', reason: 'client' });
    expect(decideCacheUse(on, { 'cache-control': 'max-age=60' }, greedy)).toEqual({ use: 'use' });
  });

  it('caches sampled requests only on opt-in: the force header or sampled: always', () => {
    expect(decideCacheUse(on, {}, sampled)).toEqual({ use: 'bypass', reason: 'sampled' });
    expect(decideCacheUse(on, {}, { ...sampled, n: 3, temperature: 0.9 })).toEqual({ use: 'bypass', reason: 'sampled' });
    expect(decideCacheUse(on, { 'x-aigw-cache': 'force' }, sampled)).toEqual({ use: 'use' });
    expect(decideCacheUse(CacheConfig.parse({ enabled: true, sampled: 'always' }), {}, sampled)).toEqual({ use: 'use' });
    expect(decideCacheUse(on, { 'x-aigw-cache': 'force', 'cache-control': 'no-cache' }, sampled)).toEqual({ use: 'bypass', reason: 'client' });
  });
});
