import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedTestRedis } from '../util/shared-test-redis.test-support.ts';
import type { CacheBackend } from './cache-backend.ts';
import type { CachedAnswer } from './cached-answer.ts';
import { MemoryCacheBackend } from './memory-cache-backend.ts';
import { RedisCacheBackend } from './redis-cache-backend.ts';
import { ResponseCache } from './response-cache.ts';

/** One suite, run against each backend: both must behave the same behind the ResponseCache. */
const redis = sharedTestRedis('cache');
afterAll(() => redis.cleanUp());

let groups = 0;
const flavors: Array<{ name: string; shared: boolean; group: () => () => CacheBackend }> = [
  {
    name: 'memory',
    shared: false,
    group: () => () => new MemoryCacheBackend({ maxEntries: 1_000, maxTotalBytes: 10_000_000 }),
  },
  {
    name: 'redis',
    shared: true,
    group: () => {
      const keyPrefix = `${redis.prefix}${++groups}:`;
      return () => new RedisCacheBackend({ redis: redis.connect(), keyPrefix });
    },
  },
];

function answer(text: string, costUsd = 0.0012): CachedAnswer {
  return {
    v: 1,
    provider: 'sim',
    model: 'sim-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { inputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 7, reasoningTokens: 0 },
    usage_estimated: false,
    cost_usd: costUsd,
    stored_at_ms: 1_767_225_600_000,
  };
}

const LIMITS = { ttlMs: 60_000, maxEntryBytes: 100_000 };

describe.each(flavors)('$name cache backend', ({ group, shared }) => {
  it('misses, then returns exactly what was stored', async () => {
    const cache = new ResponseCache(group()());
    expect(await cache.lookup('k1')).toBeUndefined();
    expect(await cache.store('k1', answer('Paris.'), LIMITS)).toBe('stored');
    expect(await cache.lookup('k1')).toEqual(answer('Paris.'));
    expect(await cache.lookup('k2')).toBeUndefined();
  });

  it('overwrites an entry stored again under the same key', async () => {
    const cache = new ResponseCache(group()());
    await cache.store('k', answer('first'), LIMITS);
    await cache.store('k', answer('second'), LIMITS);
    expect((await cache.lookup('k'))?.choices[0]?.message.content).toBe('second');
  });

  it('forgets an entry after its TTL', async () => {
    const cache = new ResponseCache(group()());
    await cache.store('short', answer('soon gone'), { ...LIMITS, ttlMs: 60 });
    await cache.store('long', answer('stays'), LIMITS);
    expect(await cache.lookup('short')).toBeDefined();
    await sleep(120);
    expect(await cache.lookup('short')).toBeUndefined();
    expect(await cache.lookup('long')).toBeDefined();
  });

  it('refuses an entry larger than max_entry_bytes', async () => {
    const cache = new ResponseCache(group()());
    expect(await cache.store('big', answer('x'.repeat(5_000)), { ...LIMITS, maxEntryBytes: 2_000 })).toBe('too_large');
    expect(await cache.lookup('big')).toBeUndefined();
  });

  it('treats an unreadable stored value as a miss', async () => {
    const backend = group()();
    await backend.set('bad', '{"v":99}', 60_000);
    await backend.set('not-json', 'nope', 60_000);
    const cache = new ResponseCache(backend);
    expect(await cache.lookup('bad')).toBeUndefined();
    expect(await cache.lookup('not-json')).toBeUndefined();
  });

  it(shared ? 'shares entries between instances' : 'keeps entries to its own instance', async () => {
    const make = group();
    const a = new ResponseCache(make());
    const b = new ResponseCache(make());
    await a.store('k', answer('from a'), LIMITS);
    expect((await b.lookup('k'))?.choices[0]?.message.content).toBe(shared ? 'from a' : undefined);
  });
});

describe('memory backend limits', () => {
  it('evicts the least recently used entry past max_entries', async () => {
    const mem = new MemoryCacheBackend({ maxEntries: 2, maxTotalBytes: 1_000_000 });
    await mem.set('a', '1', 60_000);
    await mem.set('b', '2', 60_000);
    expect(await mem.get('a')).toBe('1'); // a is now the most recently used
    await mem.set('c', '3', 60_000);
    expect(await mem.get('b')).toBeUndefined();
    expect(await mem.get('a')).toBe('1');
    expect(await mem.get('c')).toBe('3');
    expect(mem.size).toBe(2);
  });

  it('evicts by total bytes and keeps its byte count exact', async () => {
    const mem = new MemoryCacheBackend({ maxEntries: 100, maxTotalBytes: 10 });
    await mem.set('a', 'xxxx', 60_000);
    await mem.set('b', 'yyyy', 60_000);
    await mem.set('a', 'zz', 60_000); // replaced: 4 bytes out, 2 in
    expect(mem.bytes).toBe(6);
    await mem.set('c', 'wwwww', 60_000); // 11 > 10: the oldest (b) goes
    expect(await mem.get('b')).toBeUndefined();
    expect(mem.bytes).toBe(7);
    await mem.set('huge', 'h'.repeat(11), 60_000); // larger than the whole cache: not kept
    expect(await mem.get('huge')).toBeUndefined();
    expect(mem.bytes).toBe(7);
  });

  it('expires by the injected clock and releases the bytes', async () => {
    let nowMs = 1_000;
    const mem = new MemoryCacheBackend({ maxEntries: 10, maxTotalBytes: 1_000, nowMs: () => nowMs });
    await mem.set('a', 'abc', 500);
    nowMs = 1_499;
    expect(await mem.get('a')).toBe('abc');
    nowMs = 1_500;
    expect(await mem.get('a')).toBeUndefined();
    expect(mem.bytes).toBe(0);
    expect(mem.size).toBe(0);
  });
});
