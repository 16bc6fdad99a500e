import { afterAll, describe, expect, it } from 'vitest';
import { sharedTestRedis } from '../util/shared-test-redis.test-support.ts';
import { MemoryRateLimiter, type RateLimiter } from './rate-limiter.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';

const redis = sharedTestRedis('rl');
afterAll(() => redis.cleanUp());

let groupCount = 0;
const flavors = [
  { name: 'memory', shared: false, group: (): (() => RateLimiter) => () => new MemoryRateLimiter() },
  {
    name: 'redis',
    shared: true,
    group: (): (() => RateLimiter) => {
      const keyPrefix = `${redis.prefix}${++groupCount}:`;
      return () => new RedisRateLimiter({ redis: redis.connect(), keyPrefix });
    },
  },
];

const T0 = Date.UTC(2025, 2, 10, 12, 0, 0);

describe.each(flavors)('$name rate limiter', ({ group, shared }) => {
  it('admits exactly the limit from 200 concurrent requests and says when to retry', async () => {
    const limiter = group()();
    const results = await Promise.all(Array.from({ length: 200 }, () => limiter.hit('k', 60, T0)));
    expect(results.filter((r) => r.ok)).toHaveLength(60);
    expect(results.at(-1)).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect((await limiter.hit('k', 60, T0 + 999)).ok).toBe(false);
    expect((await limiter.hit('k', 60, T0 + 1_000)).ok).toBe(true);
    expect((await limiter.hit('k', 60, T0 + 1_000)).ok).toBe(false);
  });

  it('has an exact burst boundary when 60 s / limit is not a whole number', async () => {
    const limiter = group()();
    for (const limit of [7, 13, 999]) {
      const results = [];
      for (let i = 0; i <= limit; i++) results.push(await limiter.hit(`k${limit}`, limit, T0));
      expect(results.filter((r) => r.ok)).toHaveLength(limit);
    }
  });

  it('sustains the configured rate over ten minutes', async () => {
    const limiter = group()();
    let admitted = 0;
    for (let t = 0; t < 600_000; t += 250) if ((await limiter.hit('k', 7, T0 + t)).ok) admitted++;
    // The burst of 7, then one every 60/7 s.
    expect(admitted).toBeGreaterThanOrEqual(7 + 69);
    expect(admitted).toBeLessThanOrEqual(7 + 70);
  });

  it('keeps keys independent', async () => {
    const limiter = group()();
    expect((await limiter.hit('a', 1, T0)).ok).toBe(true);
    expect((await limiter.hit('a', 1, T0)).ok).toBe(false);
    expect((await limiter.hit('b', 1, T0)).ok).toBe(true);
  });

  it('allows fractional limits as one request per 60 s / limit', async () => {
    const limiter = group()();
    expect((await limiter.hit('k', 0.5, T0)).ok).toBe(true);
    expect(await limiter.hit('k', 0.5, T0 + 1)).toEqual({ ok: false, retryAfterMs: 119_999 });
    expect((await limiter.hit('k', 0.5, T0 + 120_000)).ok).toBe(true);
  });

  it('rejects invalid limits', async () => {
    const limiter = group()();
    await expect(limiter.hit('k', 0, T0)).rejects.toThrow(RangeError);
    await expect(limiter.hit('k', Number.NaN, T0)).rejects.toThrow(RangeError);
  });

  it.runIf(shared)('shares one limit between two replicas', async () => {
    const make = group();
    const a = make();
    const b = make();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).hit('k', 50, T0)));
    expect(results.filter((r) => r.ok)).toHaveLength(50);
  });
});

describe('memory rate limiter', () => {
  // Its speed is measured by npm run bench:overhead (keyed mode), not here: no wall time in unit tests.
  it('holds each of 100 keys to its rate over 100,000 hits in 100 s', () => {
    const limiter = new MemoryRateLimiter();
    // 300/min against 600/min offered per key: at most one minute's burst plus 100 s at the rate.
    let admitted = 0;
    for (let i = 0; i < 100_000; i++) if (limiter.hitSync(`k${i % 100}`, 300, T0 + i).ok) admitted++;
    expect(admitted).toBeGreaterThanOrEqual(100 * 500);
    expect(admitted).toBeLessThanOrEqual(100 * (300 + 500));
  });

  it('forgets idle keys instead of growing without bound', () => {
    const limiter = new MemoryRateLimiter(10);
    for (let i = 0; i < 10; i++) limiter.hitSync(`old${i}`, 60, T0);
    expect(limiter.trackedKeys).toBe(10);
    expect(limiter.hitSync('new', 60, T0 + 120_000).ok).toBe(true);
    expect(limiter.trackedKeys).toBe(1);
    // Keys still limiting are kept.
    const busy = new MemoryRateLimiter(2);
    busy.hitSync('a', 1, T0);
    busy.hitSync('b', 1, T0);
    busy.hitSync('c', 1, T0 + 1);
    expect(busy.hitSync('a', 1, T0 + 2).ok).toBe(false);
  });
});
