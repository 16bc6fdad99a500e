import { afterAll, describe, expect, it } from 'vitest';
import { sharedTestRedis } from '../util/shared-test-redis.test-support.ts';
import { FallbackBudgetLedger } from './fallback-budget-ledger.ts';
import { RedisBudgetLedger } from './redis-budget-ledger.ts';

const redis = sharedTestRedis('budget-fallback');
afterAll(() => redis.cleanUp());

const NOON = Date.UTC(2026, 11, 6, 12);
const limits = { dailyUsd: 1 };

/**
 * Two replicas on one Redis whose store has not seen any spend yet (rows not flushed, requests in
 * flight): what one command timeout, which takes a replica to its own fallback ledger, may admit.
 */
function replicas(): Array<{ ledger: FallbackBudgetLedger; health: { down: boolean } }> {
  const keyPrefix = redis.prefix;
  return [0, 1].map(() => {
    const health = { down: false };
    const ledger = new FallbackBudgetLedger({
      shared: new RedisBudgetLedger({ redis: redis.connect(), keyPrefix, loadSpend: async () => 0 }),
      loadSpend: async () => 0,
      share: 0.5,
      sharedDown: () => health.down,
      onSharedResult: (err) => {
        health.down = err !== undefined;
      },
    });
    return { ledger, health };
  });
}

async function reserveAll(ledger: FallbackBudgetLedger, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const verdict = await ledger.reserve('k', 0.1, limits, NOON);
    if (verdict.ok) ids.push(verdict.reservationId);
  }
  return ids;
}

describe('FallbackBudgetLedger on Redis', () => {
  it('starts an outage from what Redis last said was used, and hands its own holds to Redis when back', async () => {
    const [a, b] = replicas() as [ReturnType<typeof replicas>[number], ReturnType<typeof replicas>[number]];
    // In flight through Redis: 0.4 + 0.4 of the $1 budget, each replica's last answer after the other's.
    const inRedis: string[] = [];
    for (let i = 0; i < 4; i++) inRedis.push(...(await reserveAll(a.ledger, 1)), ...(await reserveAll(b.ledger, 1)));
    expect(inRedis).toHaveLength(8);
    // One timed-out command each: both replicas go local. The store knows of no spend yet; before,
    // each replica took half of the whole budget on its own ($1.80 admitted, $2 with what Redis then
    // admitted again, not knowing of the local holds).
    a.health.down = true;
    b.health.down = true;
    const localA = await reserveAll(a.ledger, 10);
    const localB = await reserveAll(b.ledger, 10);
    // Back: Redis must know of the local holds before it admits anything else.
    a.health.down = false;
    b.health.down = false;
    await Promise.all([a.ledger.sharedRecovered(), b.ledger.sharedRecovered()]);
    const after = await reserveAll(a.ledger, 10);
    expect(localA.length + localB.length).toBe(2);
    expect(after).toHaveLength(0);
    const admittedUsd = 0.1 * (inRedis.length + localA.length + localB.length + after.length);
    expect(admittedUsd).toBeLessThanOrEqual(1 + 1e-9);
    const ids = [...inRedis, ...localA, ...after];
    await Promise.all([...ids.map((id) => a.ledger.settle(id, 0.1)), ...localB.map((id) => b.ledger.settle(id, 0.1))]);
    const spent = await a.ledger.spent('k', NOON);
    expect(spent.dayUsd).toBeCloseTo(admittedUsd, 9);
  });
});
