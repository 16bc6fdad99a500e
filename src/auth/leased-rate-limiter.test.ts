import { afterAll, describe, expect, it } from 'vitest';
import { sharedTestRedis } from '../util/shared-test-redis.test-support.ts';
import { LeasedRateLimiter } from './leased-rate-limiter.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';

const redis = sharedTestRedis('rl-lease');
afterAll(() => redis.cleanUp());

let groupCount = 0;

/** Replicas sharing one prefix, each with its own connection, counting the scripts it sends. */
function replicas(count: number, leaseTtlMs?: number): Array<{ limiter: LeasedRateLimiter; exact: RedisRateLimiter; scripts: () => number }> {
  const keyPrefix = `${redis.prefix}${++groupCount}:`;
  return Array.from({ length: count }, () => {
    const connection = redis.connect();
    let scripts = 0;
    const evalsha = connection.evalsha.bind(connection) as (...args: unknown[]) => Promise<unknown>;
    (connection as unknown as { evalsha: (...args: unknown[]) => Promise<unknown> }).evalsha = (...args: unknown[]) => {
      scripts++;
      return evalsha(...args);
    };
    const exact = new RedisRateLimiter({ redis: connection, keyPrefix });
    return { limiter: new LeasedRateLimiter({ shared: exact, leaseTtlMs }), exact, scripts: () => scripts };
  });
}

/** Until the limiter's first trip has answered (a Redis round trip; no fixed number of turns under load). */
async function tokensArrive(limiter: LeasedRateLimiter): Promise<void> {
  for (let i = 0; i < 1_000 && limiter.heldTokens === 0; i++) await new Promise((resolve) => setTimeout(resolve, 2));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('rate-limit token leases', () => {
  it('admits a busy key from its tokens with no script before the answer', async () => {
    const [{ limiter, scripts }] = replicas(1) as [ReturnType<typeof replicas>[number]];
    for (let i = 0; i < 2; i++) expect((await limiter.hit('k', 6_000, Date.now())).ok).toBe(true);
    await tokensArrive(limiter);
    expect(limiter.leaseCount).toBe(1);
    // 6,000 rpm: a lease holds at most 25 tokens (a quarter second); the first trip takes 16.
    expect(limiter.heldTokens).toBe(16);
    const before = scripts();
    const verdicts = await Promise.all(Array.from({ length: 8 }, () => limiter.hit('k', 6_000, Date.now())));
    expect(verdicts.every((v) => v.ok)).toBe(true);
    // None asked Redis; the lease's top-up (4 trips' worth of what it admitted) is not awaited by any.
    expect(scripts() - before).toBeLessThanOrEqual(1);
    await limiter.close();
    expect(limiter.leaseCount).toBe(0);
  });

  it('skips the renewal of a busy lease with tokens to spare, and gives an idle one back at the next look', async () => {
    // A 4 s lease: a look every second; tokens are good for 3 s after the trip that took them.
    const [{ limiter, scripts }] = replicas(1, 4_000) as [ReturnType<typeof replicas>[number]];
    for (let i = 0; i < 2; i++) expect((await limiter.hit('k', 6_000, Date.now())).ok).toBe(true);
    await tokensArrive(limiter);
    expect(limiter.heldTokens).toBe(16);
    const afterFirstTrip = scripts();
    await sleep(400);
    // Busy: two admitted from its tokens before the first look; 14 left is more than half of 16.
    for (let i = 0; i < 2; i++) expect((await limiter.hit('k', 6_000, Date.now())).ok).toBe(true);
    await sleep(1_000); // past the first look (~1 s after the trip)
    expect(scripts()).toBe(afterFirstTrip);
    expect(limiter.heldTokens).toBe(14);
    // Idle since that look: the next one (~2 s) gives the 14 tokens back and drops the lease.
    await sleep(1_100);
    for (let i = 0; i < 200 && limiter.leaseCount > 0; i++) await sleep(5);
    expect(scripts()).toBe(afterFirstTrip + 1);
    expect(limiter.leaseCount).toBe(0);
    expect(limiter.heldTokens).toBe(0);
  });

  it('gives its unused tokens back at close', async () => {
    const [a, b] = replicas(2) as [ReturnType<typeof replicas>[number], ReturnType<typeof replicas>[number]];
    const limitPerMin = 600; // a burst of 600, a lease of at most 2 tokens
    let used = 0;
    for (let i = 0; i < 2; i++) if ((await a.limiter.hit('k', limitPerMin, Date.now())).ok) used++;
    await tokensArrive(a.limiter);
    expect(a.limiter.heldTokens).toBe(2);
    expect(a.limiter.leaseCount).toBe(1);
    await a.limiter.close();
    let admitted = 0;
    while ((await b.exact.hit('k', limitPerMin, Date.now())).ok) admitted++;
    expect(admitted).toBeGreaterThanOrEqual(limitPerMin - used);
  });

  it('does not lease a key under 480 rpm: a token would be more than a quarter second of its rate', async () => {
    const [{ limiter, scripts }] = replicas(1) as [ReturnType<typeof replicas>[number]];
    for (let i = 0; i < 20; i++) expect((await limiter.hit('k', 479, Date.now())).ok).toBe(true);
    expect(limiter.leaseCount).toBe(0);
    expect(scripts()).toBe(20);
  });

  it('exceeds a limit shared by two replicas by at most the tokens they hold', async () => {
    const group = replicas(2);
    const limitPerMin = 4_800; // 80 per second: leases of at most 20 tokens per replica
    const startMs = Date.now();
    let admitted = 0;
    let refused = 0;
    for (let round = 0; round < 40; round++) {
      const verdicts = await Promise.all(Array.from({ length: 150 }, (_, i) => group[i % 2]!.limiter.hit('k', limitPerMin, Date.now())));
      for (const v of verdicts)
        if (v.ok) admitted++;
        else refused++;
      await turns(2);
    }
    const elapsedMs = Date.now() - startMs;
    expect(refused).toBeGreaterThan(0);
    expect(admitted).toBeLessThanOrEqual(limitPerMin + Math.ceil((elapsedMs / 60_000) * limitPerMin) + 1 + 2 * 20);
    expect(admitted).toBeGreaterThanOrEqual(limitPerMin - 2 * 20);
    await Promise.all(group.map(({ limiter }) => limiter.close()));
  });
});
