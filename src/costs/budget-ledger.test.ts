import { afterAll, describe, expect, it } from 'vitest';
import type { BudgetLedger, LedgerOptions, LoadSpend } from './budget-ledger.ts';
import { utcDayWindow, utcMonthWindow } from './budget-ledger.ts';
import { MemoryBudgetLedger } from './memory-budget-ledger.ts';
import { RedisBudgetLedger } from './redis-budget-ledger.ts';
import { sharedTestRedis } from '../util/shared-test-redis.test-support.ts';

const redis = sharedTestRedis('budget');
afterAll(() => redis.cleanUp());

interface Flavor {
  name: string;
  /** A factory for ledgers that share state (replicas), one per test. */
  group: () => (opts?: LedgerOptions) => BudgetLedger;
  shared: boolean;
}

let groupCount = 0;
const flavors: Flavor[] = [
  { name: 'memory', shared: false, group: () => (opts) => new MemoryBudgetLedger(opts) },
  {
    name: 'redis',
    shared: true,
    group: () => {
      const keyPrefix = `${redis.prefix}${++groupCount}:`;
      return (opts) => new RedisBudgetLedger({ redis: redis.connect(), keyPrefix, ...opts });
    },
  },
];

const NOON = Date.UTC(2025, 2, 10, 12, 0, 0);
const DAY_MS = 86_400_000;

describe.each(flavors)('$name budget ledger', ({ group, shared }) => {
  it('admits exactly floor(limit / amount) of 200 concurrent reservations', async () => {
    const ledger = group()();
    for (const [amount, limit] of [
      [0.01, 1],
      [0.07, 1],
      [0.003, 0.1],
    ] as const) {
      const key = `k-${amount}`;
      const results = await Promise.all(Array.from({ length: 200 }, () => ledger.reserve(key, amount, { dailyUsd: limit }, NOON)));
      expect(results.filter((r) => r.ok)).toHaveLength(Math.floor(limit / amount + 1e-9));
      const spent = await ledger.spent(key, NOON);
      expect(spent.reservedUsd).toBeLessThanOrEqual(limit);
    }
  });

  it('frees the difference when a request settles for less than it reserved', async () => {
    const ledger = group()();
    const first = await ledger.reserve('k', 0.6, { dailyUsd: 1 }, NOON);
    if (!first.ok) throw new Error('first reservation refused');
    expect(await ledger.reserve('k', 0.6, { dailyUsd: 1 }, NOON)).toEqual({
      ok: false,
      window: 'day',
      limitUsd: 1,
      spentUsd: 0,
      reservedUsd: 0.6,
    });
    await ledger.settle(first.reservationId, 0.25);
    expect(await ledger.spent('k', NOON)).toEqual({ dayUsd: 0.25, monthUsd: 0.25, reservedUsd: 0 });
    expect((await ledger.reserve('k', 0.6, { dailyUsd: 1 }, NOON)).ok).toBe(true);
    expect((await ledger.reserve('k', 0.2, { dailyUsd: 1 }, NOON)).ok).toBe(false);
  });

  it('counts a settlement once, and ignores unknown ids', async () => {
    const ledger = group()();
    const r = await ledger.reserve('k', 0.5, { dailyUsd: 1 }, NOON);
    if (!r.ok) throw new Error('refused');
    await ledger.settle(r.reservationId, 0.4);
    await ledger.settle(r.reservationId, 0.4);
    await ledger.release(r.reservationId);
    await ledger.settle('nonsense', 1);
    await ledger.settle('x.1.2.3:k', 1);
    expect((await ledger.spent('k', NOON)).dayUsd).toBe(0.4);
  });

  it('gives the whole reservation back on release', async () => {
    const ledger = group()();
    const r = await ledger.reserve('k', 0.9, { dailyUsd: 1 }, NOON);
    if (!r.ok) throw new Error('refused');
    expect((await ledger.reserve('k', 0.2, { dailyUsd: 1 }, NOON)).ok).toBe(false);
    await ledger.release(r.reservationId);
    expect((await ledger.reserve('k', 0.9, { dailyUsd: 1 }, NOON)).ok).toBe(true);
    expect((await ledger.spent('k', NOON)).dayUsd).toBe(0);
  });

  it('starts a new day at 00:00 UTC, charging a late settlement to the day it was reserved', async () => {
    const ledger = group()();
    const limits = { dailyUsd: 1, monthlyUsd: 100 };
    const full = await ledger.reserve('k', 1, limits, NOON);
    if (!full.ok) throw new Error('refused');
    await ledger.settle(full.reservationId, 1);
    expect((await ledger.reserve('k', 0.01, limits, NOON)).ok).toBe(false);

    const lastSecond = utcDayWindow(NOON).endMs - 1_000;
    const late = await ledger.reserve('k', 0, limits, lastSecond);
    expect(late.ok).toBe(true);
    const nextDay = utcDayWindow(NOON).endMs + 1_000;
    expect((await ledger.reserve('k', 1, limits, nextDay)).ok).toBe(true);
    expect(await ledger.spent('k', nextDay)).toEqual({ dayUsd: 0, monthUsd: 1, reservedUsd: 1 });
  });

  it("does not let a reservation from yesterday hold or spend today's budget", async () => {
    const ledger = group()();
    const limits = { dailyUsd: 1 };
    const evening = utcDayWindow(NOON).endMs - 60_000;
    const r = await ledger.reserve('k', 0.8, limits, evening);
    if (!r.ok) throw new Error('refused');
    const morning = evening + 120_000;
    expect((await ledger.reserve('k', 0.9, limits, morning)).ok).toBe(true);
    await ledger.settle(r.reservationId, 0.8);
    const spent = await ledger.spent('k', morning);
    expect(spent.dayUsd).toBe(0);
    expect(spent.monthUsd).toBeCloseTo(0.8, 12);
  });

  it('enforces the month limit independently of the day limit', async () => {
    const ledger = group()();
    const limits = { dailyUsd: 10, monthlyUsd: 1.5 };
    const r = await ledger.reserve('k', 1, limits, NOON);
    if (!r.ok) throw new Error('refused');
    await ledger.settle(r.reservationId, 1);
    const tomorrow = NOON + DAY_MS;
    const refused = await ledger.reserve('k', 1, limits, tomorrow);
    expect(refused).toEqual({ ok: false, window: 'month', limitUsd: 1.5, spentUsd: 1, reservedUsd: 0 });
    expect((await ledger.reserve('k', 0.5, limits, tomorrow)).ok).toBe(true);
    const nextMonth = utcMonthWindow(NOON).endMs + 1_000;
    expect((await ledger.reserve('k', 1.5, limits, nextMonth)).ok).toBe(true);
  });

  it('never limits a key without limits, but still tracks its spend', async () => {
    const ledger = group()();
    const r = await ledger.reserve('k', 1_000_000, {}, NOON);
    if (!r.ok) throw new Error('refused');
    await ledger.settle(r.reservationId, 123.456);
    expect((await ledger.spent('k', NOON)).monthUsd).toBe(123.456);
    expect((await ledger.reserve('k', 1, { dailyUsd: null, monthlyUsd: null }, NOON)).ok).toBe(true);
  });

  it('stops an abandoned reservation from holding budget after its TTL, and still counts a late settle', async () => {
    const ledger = group()({ reservationTtlMs: 1_000, expiredRetentionMs: 60_000 });
    const limits = { dailyUsd: 1 };
    const abandoned = await ledger.reserve('k', 1, limits, NOON);
    if (!abandoned.ok) throw new Error('refused');
    expect((await ledger.reserve('k', 0.5, limits, NOON + 500)).ok).toBe(false);
    if (shared) {
      // Redis's holds expire by Redis's clock: a replica whose clock says an hour later frees nothing.
      expect((await ledger.reserve('k', 0.5, limits, NOON + 3_600_000)).ok).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1_050));
    }
    expect((await ledger.spent('k', NOON + 1_001)).reservedUsd).toBe(0);
    expect((await ledger.reserve('k', 0.5, limits, NOON + 1_001)).ok).toBe(true);
    await ledger.settle(abandoned.reservationId, 0.3);
    expect((await ledger.spent('k', NOON + 2_000)).dayUsd).toBe(0.3);
  });

  it("seeds each window from the store's settled spend", async () => {
    const calls: number[] = [];
    const loadSpend: LoadSpend = async (_key, sinceMs) => {
      calls.push(sinceMs);
      return sinceMs === utcDayWindow(NOON).startMs ? 0.75 : 2;
    };
    const ledger = group()({ loadSpend });
    const limits = { dailyUsd: 1, monthlyUsd: 3 };
    const results = await Promise.all([ledger.reserve('k', 0.5, limits, NOON), ledger.reserve('k', 0.25, limits, NOON)]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(await ledger.spent('k', NOON)).toEqual({ dayUsd: 0.75, monthUsd: 2, reservedUsd: 0.25 });
    expect(calls.length).toBeLessThanOrEqual(4);
  });

  it('rejects negative or non-finite amounts and limits', async () => {
    const ledger = group()();
    await expect(ledger.reserve('k', -1, {}, NOON)).rejects.toThrow(RangeError);
    await expect(ledger.reserve('k', Number.NaN, {}, NOON)).rejects.toThrow(RangeError);
    await expect(ledger.reserve('k', 1, { dailyUsd: -1 }, NOON)).rejects.toThrow(RangeError);
  });

  it.runIf(shared)('shares one limit between two replicas', async () => {
    const makeReplica = group();
    const a = makeReplica();
    const b = makeReplica();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).reserve('k', 0.03, { monthlyUsd: 2 }, NOON)));
    const admitted = results.filter((r) => r.ok);
    expect(admitted).toHaveLength(66);
    // A reservation made on one replica settles on the other.
    const first = admitted[0];
    if (!first?.ok) throw new Error('none admitted');
    await b.settle(first.reservationId, 0.01);
    expect((await a.spent('k', NOON)).monthUsd).toBe(0.01);
    expect((await a.reserve('k', 0.02, { monthlyUsd: 2 }, NOON)).ok).toBe(true);
  });
});

describe.each(flavors)('$name budget ledger ids', ({ group }) => {
  it('hands out reservation ids that sort by when they were made and differ between ledgers (restarts): the store keys its rows by them', async () => {
    const ids: string[] = [];
    for (const ledger of [group()(), group()()]) {
      for (let i = 0; i < 3; i++) {
        const r = await ledger.reserve('k-ids', 0.01, {}, NOON + ids.length * 1_000);
        if (r.ok) ids.push(r.reservationId);
      }
    }
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('memory budget ledger over many pairs', () => {
  // Its speed is measured by npm run bench:overhead (keyed mode), not here: no wall time in unit tests.
  it('adds 20,000 reserve and settle pairs exactly', async () => {
    const ledger = new MemoryBudgetLedger();
    const limits = { dailyUsd: 1e6, monthlyUsd: 1e7 };
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const r = await ledger.reserve('k', 0.001, limits, NOON + i);
      if (r.ok) await ledger.settle(r.reservationId, 0.0005);
    }
    expect((await ledger.spent('k', NOON + n)).dayUsd).toBeCloseTo(10, 9);
  });
});
