import { describe, expect, it } from 'vitest';
import type { ApiKeyRow } from '../store/types.ts';
import { generateApiKey } from './api-keys.ts';
import { KeyResolver, KeyStoreUnavailableError, extractBearerToken, isAdminKey } from './key-resolver.ts';

function row(hash: string, over: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    id: 'key_1',
    name: 'app',
    key_hash: hash,
    key_prefix: 'aigw_abcdefg',
    team: 'search',
    created_at: 0,
    revoked_at: null,
    budget_daily_usd: 5,
    budget_monthly_usd: 100,
    rpm_limit: 60,
    ...over,
  };
}

function fakeStore() {
  const rows = new Map<string, ApiKeyRow>();
  const calls: string[] = [];
  return {
    rows,
    calls,
    findByHash: async (hash: string) => {
      calls.push(hash);
      await new Promise((r) => setTimeout(r, 1));
      return rows.get(hash);
    },
  };
}

describe('KeyResolver', () => {
  it('resolves a valid key and serves repeats from the cache', async () => {
    const store = fakeStore();
    const k = generateApiKey();
    store.rows.set(k.hash, row(k.hash));
    const resolver = new KeyResolver({ findByHash: store.findByHash });
    const resolved = await Promise.all(Array.from({ length: 50 }, () => resolver.resolve(k.key)));
    expect(resolved.every((r) => r?.id === 'key_1')).toBe(true);
    expect(await resolver.resolve(k.key)).toMatchObject({ id: 'key_1', rpm_limit: 60 });
    expect(store.calls).toHaveLength(1);
  });

  it('answers a fresh active key without a promise, and only that', async () => {
    let now = 1_000;
    const store = fakeStore();
    const k = generateApiKey();
    const revoked = generateApiKey();
    store.rows.set(k.hash, row(k.hash));
    store.rows.set(revoked.hash, row(revoked.hash, { id: 'key_2', revoked_at: 500 }));
    const resolver = new KeyResolver({ findByHash: store.findByHash, ttlMs: 10_000, nowMs: () => now });
    expect(resolver.activeCached(k.key)).toBeUndefined(); // never seen: resolve() must ask the store
    await resolver.resolve(k.key);
    await resolver.resolve(revoked.key);
    await resolver.resolve('aigw_unknown');
    expect(resolver.activeCached(k.key)).toMatchObject({ id: 'key_1' });
    expect(resolver.activeCached(revoked.key)).toBeUndefined();
    expect(resolver.activeCached('aigw_unknown')).toBeUndefined();
    expect(resolver.activeCached(undefined)).toBeUndefined();
    expect(store.calls).toHaveLength(3);
    // Past half its TTL: still answered, and refreshed in the background as resolve() does.
    now += 6_000;
    expect(resolver.activeCached(k.key)).toMatchObject({ id: 'key_1' });
    expect(store.calls).toHaveLength(4);
    // Revoked since and past its TTL: no cached answer; resolve() asks the store and refuses it.
    store.rows.set(k.hash, row(k.hash, { revoked_at: now }));
    now += 20_000;
    expect(resolver.activeCached(k.key)).toBeUndefined();
    expect(await resolver.resolve(k.key)).toBeUndefined();
    expect(resolver.activeCached(k.key)).toBeUndefined();
    // Dropped by invalidate(): the next request waits for the store again.
    const other = generateApiKey();
    store.rows.set(other.hash, row(other.hash, { id: 'key_3' }));
    await resolver.resolve(other.key);
    resolver.invalidate(other.hash);
    expect(resolver.activeCached(other.key)).toBeUndefined();
  });

  it('refuses unknown, empty and oversized tokens, caching misses briefly', async () => {
    let now = 1_000;
    const store = fakeStore();
    const resolver = new KeyResolver({ findByHash: store.findByHash, negativeTtlMs: 100, nowMs: () => now });
    expect(await resolver.resolve('aigw_nope')).toBeUndefined();
    expect(await resolver.resolve('aigw_nope')).toBeUndefined();
    expect(store.calls).toHaveLength(1);
    now += 101;
    expect(await resolver.resolve('aigw_nope')).toBeUndefined();
    expect(store.calls).toHaveLength(2);
    expect(await resolver.resolve('')).toBeUndefined();
    expect(await resolver.resolve(undefined)).toBeUndefined();
    expect(await resolver.resolve('x'.repeat(10_000))).toBeUndefined();
    expect(store.calls).toHaveLength(2);
  });

  it('sees a revocation after the TTL, or at once after invalidate()', async () => {
    let now = 0;
    const store = fakeStore();
    const k = generateApiKey();
    store.rows.set(k.hash, row(k.hash));
    const resolver = new KeyResolver({ findByHash: store.findByHash, ttlMs: 1_000, nowMs: () => now });
    expect(await resolver.resolve(k.key)).toBeDefined();
    store.rows.set(k.hash, row(k.hash, { revoked_at: 500 }));
    now = 999;
    expect(await resolver.resolve(k.key)).toBeDefined();
    now = 1_001;
    expect(await resolver.resolve(k.key)).toBeUndefined();

    const k2 = generateApiKey();
    store.rows.set(k2.hash, row(k2.hash, { id: 'key_2' }));
    expect(await resolver.resolve(k2.key)).toBeDefined();
    store.rows.set(k2.hash, row(k2.hash, { id: 'key_2', revoked_at: now }));
    resolver.invalidate(k2.hash);
    expect(await resolver.resolve(k2.key)).toBeUndefined();
  });

  it('finds a key created after a cached miss once its hash is invalidated', async () => {
    const store = fakeStore();
    const k = generateApiKey();
    const resolver = new KeyResolver({ findByHash: store.findByHash });
    expect(await resolver.resolve(k.key)).toBeUndefined();
    store.rows.set(k.hash, row(k.hash));
    expect(await resolver.resolve(k.key)).toBeUndefined();
    resolver.invalidate(k.hash);
    expect(await resolver.resolve(k.key)).toBeDefined();
  });

  it('rejects a row whose stored hash does not match the token', async () => {
    const k = generateApiKey();
    const other = generateApiKey();
    const resolver = new KeyResolver({ findByHash: async () => row(other.hash) });
    expect(await resolver.resolve(k.key)).toBeUndefined();
  });

  it('keeps real keys cached when flooded with unknown tokens', async () => {
    const store = fakeStore();
    const k = generateApiKey();
    store.rows.set(k.hash, row(k.hash));
    const resolver = new KeyResolver({ findByHash: store.findByHash, maxNegativeEntries: 10 });
    await resolver.resolve(k.key);
    for (let i = 0; i < 100; i++) await resolver.resolve(`aigw_random_${i}`);
    const before = store.calls.length;
    expect(await resolver.resolve(k.key)).toBeDefined();
    expect(store.calls.length).toBe(before);
  });

  it('remembers the token of an active key only, never an unknown or revoked one', async () => {
    const store = fakeStore();
    const k = generateApiKey();
    const revoked = generateApiKey();
    store.rows.set(k.hash, row(k.hash));
    store.rows.set(revoked.hash, { ...row(revoked.hash), revoked_at: Date.UTC(2026, 11, 1) });
    const resolver = new KeyResolver({ findByHash: store.findByHash });
    for (let i = 0; i < 50; i++) await resolver.resolve(`aigw_random_${i}`);
    expect(await resolver.resolve(revoked.key)).toBeUndefined();
    expect(await resolver.resolve(k.key)).toBeDefined();
    // Bracket access reads the private map: what stays in the heap is the point of this test.
    expect([...resolver['hashes'].keys()]).toEqual([k.key]);
    expect(resolver.activeCached(k.key)?.id).toBe(row(k.hash).id);
  });

  it('propagates store errors without caching them', async () => {
    let fail = true;
    const k = generateApiKey();
    const resolver = new KeyResolver({
      findByHash: async () => {
        if (fail) throw new Error('db down');
        return row(k.hash);
      },
    });
    await expect(resolver.resolve(k.key)).rejects.toThrow(KeyStoreUnavailableError);
    fail = false;
    expect(await resolver.resolve(k.key)).toBeDefined();
  });

  // Finding 1 of issue 15: an expired entry turned a store outage into 500s for every key.
  it('serves an expired entry while the store is down, up to maxStaleMs, then refuses with KeyStoreUnavailableError', async () => {
    let now = 0;
    let down = false;
    const results: string[] = [];
    const k = generateApiKey();
    const resolver = new KeyResolver({
      findByHash: async () => {
        if (down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return row(k.hash);
      },
      ttlMs: 1_000,
      maxStaleMs: 60_000,
      nowMs: () => now,
      onStoreResult: (err) => results.push(err ? 'down' : 'ok'),
    });
    expect(await resolver.resolve(k.key)).toMatchObject({ id: 'key_1' });
    down = true;
    now = 30_000;
    expect(await resolver.resolve(k.key)).toMatchObject({ id: 'key_1' });
    now = 61_500;
    await expect(resolver.resolve(k.key)).rejects.toThrow(KeyStoreUnavailableError);
    await expect(resolver.resolve(generateApiKey().key)).rejects.toThrow(KeyStoreUnavailableError);
    expect(results).toEqual(['ok', 'down', 'down', 'down']);
  });

  it('refreshes an entry past half its TTL in the background and serves the cached row meanwhile', async () => {
    let now = 0;
    const store = fakeStore();
    const k = generateApiKey();
    store.rows.set(k.hash, row(k.hash));
    const resolver = new KeyResolver({ findByHash: store.findByHash, ttlMs: 1_000, nowMs: () => now });
    await resolver.resolve(k.key);
    store.rows.set(k.hash, row(k.hash, { revoked_at: 5 }));
    now = 600;
    expect(await resolver.resolve(k.key)).toBeDefined();
    expect(store.calls).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 10));
    expect(await resolver.resolve(k.key)).toBeUndefined();
  });

  it('counts a lookup slower than lookupTimeoutMs as a failure', async () => {
    const k = generateApiKey();
    const resolver = new KeyResolver({ findByHash: () => new Promise(() => undefined), lookupTimeoutMs: 20 });
    await expect(resolver.resolve(k.key)).rejects.toThrow(KeyStoreUnavailableError);
  });
});

describe('extractBearerToken', () => {
  it('reads the token from an Authorization header', () => {
    expect(extractBearerToken('Bearer aigw_abc')).toBe('aigw_abc');
    expect(extractBearerToken('bearer   aigw_abc ')).toBe('aigw_abc');
    expect(extractBearerToken('BEARER aigw_abc')).toBe('aigw_abc');
    expect(extractBearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(extractBearerToken('Bearer a b')).toBeUndefined();
    expect(extractBearerToken(undefined)).toBeUndefined();
  });
});

describe('isAdminKey', () => {
  it('matches only the configured admin key', () => {
    expect(isAdminKey('s3cret-admin', 's3cret-admin')).toBe(true);
    expect(isAdminKey('s3cret-admin!', 's3cret-admin')).toBe(false);
    expect(isAdminKey('short', 's3cret-admin')).toBe(false);
    expect(isAdminKey('anything', undefined)).toBe(false);
    expect(isAdminKey('', '')).toBe(false);
    expect(isAdminKey(undefined, 'x')).toBe(false);
  });
});
