import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KyselyStore } from './kysely-store.ts';
import { openStore, SQLITE_FILE_NAME } from './open-store.ts';
import { SqliteWriteThread } from './sqlite-write-thread.ts';
import { makeDecisionRow, makeRequestRow, makeReservation } from './store-test-support.ts';

/** How many times a 5 ms interval fired while `work` ran: it fires only while the event loop is free. */
async function timerTicksDuring(work: () => Promise<void>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('SqliteWriteThread', () => {
  let dir: string;
  let store: KyselyStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-write-thread-'));
    store = await openStore({ dir });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a 40k-row batch without blocking the main thread', async () => {
    const requests = Array.from({ length: 20_000 }, (_, i) => makeRequestRow({ id: `big_${i}` }));
    const decisions = requests.map((r) => makeDecisionRow(r.id));
    // The same rows committed on the main thread (better-sqlite3 is synchronous) block it for
    // hundreds of ms; here only flattening and posting 500-row slices runs on it, ~1 ms each.
    const ticks = await timerTicksDuring(() => store.writeBatch({ requests, decisions, reservations: [] }));

    expect(await store.countRequests()).toBe(20_000);
    expect((await store.getDecisionByRequest('big_19999'))?.request_id).toBe('big_19999');
    // The event loop kept turning while the rows were committed: the commit ran off this thread.
    // (How long the gaps are is a speed question, measured by bench:overhead, not asserted here.)
    expect(ticks).toBeGreaterThan(2);
  }, 60_000);

  it('reads through the main connection while the thread writes', async () => {
    const requests = Array.from({ length: 10_000 }, () => makeRequestRow());
    const write = store.writeBatch({ requests, decisions: [], reservations: [] });
    const countDuringWrite = await store.countRequests();
    await write;
    expect([0, 10_000]).toContain(countDuringWrite); // one transaction: all or nothing is visible
    expect(await store.countRequests()).toBe(10_000);
  });

  it('fails the pending write when the thread dies, and starts a new thread for the next one', async () => {
    const thread = await SqliteWriteThread.start({ file: join(dir, SQLITE_FILE_NAME), pragmas: ['busy_timeout = 5000'] });
    try {
      const rows = Array.from({ length: 5_000 }, () => makeRequestRow());
      const write = thread.writeBatch({ requests: rows, decisions: [], reservations: [] });
      // Reaching into the private worker is the only way to kill the thread the way a crash would.
      await (thread as unknown as { worker: Worker }).worker.terminate();
      await expect(write).rejects.toThrow(/write thread exited/);

      await thread.writeBatch({ requests: rows, decisions: [], reservations: [makeReservation()] });
      expect(await store.countRequests()).toBe(5_000);
    } finally {
      await thread.close();
    }
  });

  it('finishes started writes on close, then refuses new ones', async () => {
    const thread = await SqliteWriteThread.start({ file: join(dir, SQLITE_FILE_NAME), pragmas: [] });
    const write = thread.writeBatch({ requests: [makeRequestRow(), makeRequestRow()], decisions: [], reservations: [] });
    await thread.close();
    await write;
    expect(await store.countRequests()).toBe(2);
    await expect(thread.writeBatch({ requests: [makeRequestRow()], decisions: [], reservations: [] })).rejects.toThrow(/closed/);
  });

  it("commits the learning loop's rows on the thread, keeping the first of a retried row", async () => {
    const learning = store.learningStore();
    const row = (model: string, features: string) => ({
      request_id: 'req-learn',
      model,
      created_at: 1_000,
      task_type: 'qa',
      features,
      difficulty: 0.1,
      discrimination: 1.2,
      predicted: 0.7,
      router_version: 'v',
      technique: null,
      explored: true,
      score: null,
      source: null,
      scored_at: null,
    });
    await learning.insertRows([row('m1', 'first'), row('m2', 'x')]);
    await learning.insertRows([row('m1', 'retried')]);
    expect(await learning.scoreRequest('req-learn', 0.9, 'user', 2_000, 'm1')).toBe(1);
    const rows = await learning.scoredRows(0, 10);
    expect(rows.map((r) => [r.model, r.features, r.explored, r.score])).toEqual([['m1', 'first', true, 0.9]]);
  });

  it('holds a write posted while the thread starts in the background, then commits it', async () => {
    const thread = SqliteWriteThread.startInBackground({ file: join(dir, SQLITE_FILE_NAME), pragmas: [] });
    let committed = false;
    const write = thread.writeBatch({ requests: [makeRequestRow({ id: 'early' })], decisions: [], reservations: [] }).then(() => {
      committed = true;
    });
    // Returned before the thread is up (an awaited start would be up): the write waits for it.
    expect(thread.isReady).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(committed).toBe(false);
    await write;
    expect(thread.isReady).toBe(true);
    expect((await store.getRequest('early'))?.id).toBe('early');
    await thread.close();
  });

  it('reports a background start that failed at once, and again at the first write', async () => {
    const failures: string[] = [];
    const thread = SqliteWriteThread.startInBackground({ file: join(dir, 'missing', 'dir', 'x.db'), pragmas: [] }, (err) => failures.push(err.message));
    await expect(thread.writeBatch({ requests: [makeRequestRow()], decisions: [], reservations: [] })).rejects.toThrow(/could not open/);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/could not open/);
    await thread.close();
  });

  it('rejects start when the file cannot be opened', async () => {
    await expect(SqliteWriteThread.start({ file: join(dir, 'missing', 'dir', 'x.db'), pragmas: [] })).rejects.toThrow(/could not open/);
  });
});
