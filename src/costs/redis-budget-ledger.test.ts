import { afterAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../auth/redis-rate-limiter.ts';
import { sharedTestRedis } from '../util/shared-test-redis.test-support.ts';
import { RedisBudgetLedger } from './redis-budget-ledger.ts';

const redis = sharedTestRedis('budget-rl');
afterAll(() => redis.cleanUp());

const NOON = Date.UTC(2025, 2, 10, 12, 0, 0);
let groupCount = 0;

/** Two replicas' ledgers and a rate limiter, all on one prefix. */
function replicas(): { ledgers: [RedisBudgetLedger, RedisBudgetLedger]; limiter: RedisRateLimiter } {
  const keyPrefix = `${redis.prefix}${++groupCount}:`;
  const ledger = () => new RedisBudgetLedger({ redis: redis.connect(), keyPrefix, rateLimitKeyPrefix: keyPrefix });
  return { ledgers: [ledger(), ledger()], limiter: new RedisRateLimiter({ redis: redis.connect(), keyPrefix }) };
}

describe('Redis budget ledger: rate limit and reservation in one script', () => {
  it('admits exactly the rate limit of 200 concurrent requests across replicas; the refused reserve nothing', async () => {
    const { ledgers } = replicas();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => ledgers[i % 2]!.reserveAfterRateLimit('k', 0.01, { dailyUsd: 100 }, NOON, 60)));
    expect(results.filter((r) => r?.ok)).toHaveLength(60);
    const refused = results.filter((r) => r && 'rateLimited' in r);
    expect(refused).toHaveLength(140);
    expect(refused[0]).toEqual({ ok: false, rateLimited: true, retryAfterMs: 1_000 });
    expect((await ledgers[0].spent('k', NOON)).reservedUsd).toBeCloseTo(0.6, 9);
  });

  it('admits exactly floor(limit / amount) of 200 concurrent requests under a loose rate limit', async () => {
    const { ledgers } = replicas();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => ledgers[i % 2]!.reserveAfterRateLimit('k', 0.07, { dailyUsd: 1 }, NOON, 1_000)));
    expect(results.filter((r) => r?.ok)).toHaveLength(14);
    expect(results.filter((r) => r && !r.ok && 'window' in r && r.window === 'day')).toHaveLength(186);
  });

  it('shares its rate limit state with the RedisRateLimiter', async () => {
    const { ledgers, limiter } = replicas();
    expect((await limiter.hit('k', 2, NOON)).ok).toBe(true);
    expect((await ledgers[0].reserveAfterRateLimit('k', 0.01, { dailyUsd: 1 }, NOON, 2))?.ok).toBe(true);
    expect(await ledgers[1].reserveAfterRateLimit('k', 0.01, { dailyUsd: 1 }, NOON, 2)).toEqual({ ok: false, rateLimited: true, retryAfterMs: 30_000 });
    expect((await limiter.hit('k', 2, NOON)).ok).toBe(false);
  });

  it('seeds missing windows from the store before it counts the rate limit', async () => {
    const keyPrefix = `${redis.prefix}${++groupCount}:`;
    const loads: number[] = [];
    const ledger = new RedisBudgetLedger({
      redis: redis.connect(),
      keyPrefix,
      rateLimitKeyPrefix: keyPrefix,
      loadSpend: async (_key, sinceMs) => {
        loads.push(sinceMs);
        return 0.5;
      },
    });
    // One request per minute: had the first pass counted it, the second (seeded) pass would be refused.
    expect((await ledger.reserveAfterRateLimit('k', 0.4, { dailyUsd: 1 }, NOON, 1))?.ok).toBe(true);
    expect(loads).toHaveLength(2);
    expect(await ledger.reserveAfterRateLimit('k', 0.01, { dailyUsd: 1 }, NOON, 1)).toMatchObject({ rateLimited: true });
  });

  it('settles many reservations of one turn exactly', async () => {
    const { ledgers } = replicas();
    const reserved = await Promise.all(Array.from({ length: 150 }, (_, i) => ledgers[i % 2]!.reserve('k', 0.01, { dailyUsd: 10 }, NOON)));
    const ids = reserved.map((r) => (r.ok ? r.reservationId : ''));
    // Settle all but the last ten (released), on both replicas, in one turn; settling one twice counts once.
    await Promise.all(ids.map((id, i) => (i < 140 ? ledgers[i % 2]!.settle(id, 0.004) : ledgers[i % 2]!.release(id))));
    await ledgers[0].settle(ids[0]!, 0.004);
    const spent = await ledgers[1].spent('k', NOON);
    expect(spent.dayUsd).toBeCloseTo(140 * 0.004, 9);
    expect(spent.reservedUsd).toBe(0);
  });

  it('has nothing to combine without the rate limiter prefix', async () => {
    const ledger = new RedisBudgetLedger({ redis: redis.connect(), keyPrefix: `${redis.prefix}${++groupCount}:` });
    expect(await ledger.reserveAfterRateLimit('k', 0.01, { dailyUsd: 1 }, NOON, 10)).toBeUndefined();
  });
});
