import { describe, expect, it } from 'vitest';
import { BudgetStateUnavailableError, FallbackBudgetLedger, type SharedLedger } from './fallback-budget-ledger.ts';
import { MemoryBudgetLedger } from './memory-budget-ledger.ts';

/** A shared ledger that can be "unreachable"; spend added after an outage is recorded. */
function fakeShared(spentUsd: () => number) {
  const inner = new MemoryBudgetLedger({ loadSpend: async () => spentUsd() });
  const state = { down: false, added: [] as number[] };
  const guard = () => {
    if (state.down) throw Object.assign(new Error("Stream isn't writeable"), { code: 'ECONNREFUSED' });
  };
  const shared: SharedLedger = {
    reserve: async (...args) => (guard(), inner.reserve(...args)),
    settle: async (...args) => (guard(), inner.settle(...args)),
    release: async (...args) => (guard(), inner.release(...args)),
    spent: async (...args) => (guard(), inner.spent(...args)),
    addSpent: async (_key, amountUsd) => {
      guard();
      state.added.push(amountUsd);
    },
  };
  return { shared, state };
}

const NOW = Date.UTC(2026, 11, 6, 12);

describe('FallbackBudgetLedger', () => {
  it('while Redis is down admits share × the remaining budget per replica, and adds that spend to Redis after', async () => {
    let storeSpent = 0.4;
    const { shared, state } = fakeShared(() => storeSpent);
    const results: string[] = [];
    const ledger = new FallbackBudgetLedger({
      shared,
      loadSpend: async () => storeSpent,
      share: 0.5,
      sharedDown: () => state.down,
      onSharedResult: (err) => results.push(err ? 'down' : 'ok'),
    });
    const limits = { dailyUsd: 1 };
    expect((await ledger.reserve('k', 0.1, limits, NOW)).ok).toBe(true);

    state.down = true;
    // Spent 0.4 of 1: this replica may spend 0.5 × 0.6 = 0.3 more on its own.
    const first = await ledger.reserve('k', 0.25, limits, NOW);
    expect(first.ok).toBe(true);
    const second = await ledger.reserve('k', 0.1, limits, NOW);
    expect(second).toMatchObject({ ok: false, window: 'day', limitUsd: 1 });
    if (!first.ok) throw new Error('unreachable');
    await ledger.settle(first.reservationId, 0.2);
    expect(ledger.unsyncedSettlements).toBe(1);

    state.down = false;
    await ledger.sharedRecovered();
    expect(state.added).toEqual([0.2]);
    expect(ledger.unsyncedSettlements).toBe(0);
    storeSpent = 0.6;
    expect((await ledger.reserve('k', 0.1, limits, NOW)).ok).toBe(true);
    expect(results[0]).toBe('ok');
  });

  it('with neither Redis nor the store answering, refuses with BudgetStateUnavailableError', async () => {
    const { shared, state } = fakeShared(() => 0);
    state.down = true;
    const ledger = new FallbackBudgetLedger({
      shared,
      loadSpend: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
      share: 0.5,
      sharedDown: () => true,
      onSharedResult: () => undefined,
    });
    await expect(ledger.reserve('k', 0.01, { dailyUsd: 1 }, NOW)).rejects.toThrow(BudgetStateUnavailableError);
  });

  it("settles a lease's reservation without reporting on Redis's health (no Redis call was made)", async () => {
    const { shared, state } = fakeShared(() => 0);
    const settled: string[] = [];
    const results: string[] = [];
    const ledger = new FallbackBudgetLedger({
      shared: { ...shared, settlesLocally: (id) => id === 'leased', settle: async (id) => void settled.push(id) },
      share: 0.5,
      sharedDown: () => state.down,
      onSharedResult: (err) => results.push(err ? 'down' : 'ok'),
    });
    state.down = true;
    await ledger.settle('leased', 0.01);
    expect(settled).toEqual(['leased']);
    expect(results).toEqual([]);
    expect(ledger.unsyncedSettlements).toBe(0);
  });

  it('releases the hold it hands to Redis when the request settled while the hand-over was on its way', async () => {
    const { shared, state } = fakeShared(() => 0);
    let handOver: (() => void) | undefined;
    const ledger = new FallbackBudgetLedger({
      shared: {
        ...shared,
        // The hand-over's reserve (no limits) answers only when the test says so.
        reserve: async (keyId, amountUsd, limits, nowMs) => {
          if (limits.dailyUsd === undefined) await new Promise<void>((resolve) => (handOver = resolve));
          return shared.reserve(keyId, amountUsd, limits, nowMs);
        },
      },
      loadSpend: async () => 0,
      share: 0.5,
      sharedDown: () => state.down,
      onSharedResult: () => undefined,
    });
    state.down = true;
    const local = await ledger.reserve('k', 0.3, { dailyUsd: 1 }, NOW);
    if (!local.ok) throw new Error('expected the local reservation');
    state.down = false;
    const recovered = ledger.sharedRecovered();
    await ledger.settle(local.reservationId, 0.3);
    handOver?.();
    await recovered;
    // The request is settled (its $0.30 added to Redis): no hold of it may stay in Redis.
    expect(state.added).toEqual([0.3]);
    expect((await shared.spent('k', NOW)).reservedUsd).toBe(0);
  });
});
