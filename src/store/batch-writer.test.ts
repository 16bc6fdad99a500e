import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchWriter, type BatchTarget, type BatchWriterLogger } from './batch-writer.ts';
import type { KyselyStore, WriteBatch } from './kysely-store.ts';
import { makeDecisionRow, makeRequestRow, makeReservation, TEST_BACKENDS, type OpenedTestStore } from './store-test-support.ts';

interface RecordingLogger extends BatchWriterLogger {
  messages: string[];
}

function recordingLogger(): RecordingLogger {
  const messages: string[] = [];
  return { messages, warn: (_obj, msg) => messages.push(msg) };
}

/** Delegates to the real store after refusing the first `failures` batches. */
function failingTarget(store: KyselyStore, failures: number): BatchTarget & { attempts: number; failures: number } {
  const target = {
    attempts: 0,
    failures,
    insertRequests: store.insertRequests.bind(store),
    insertDecisions: store.insertDecisions.bind(store),
    upsertReservations: store.upsertReservations.bind(store),
    async writeBatch(batch: WriteBatch): Promise<void> {
      target.attempts += 1;
      if (target.failures > 0) {
        target.failures -= 1;
        throw new Error('database is locked');
      }
      await store.writeBatch(batch);
    },
  };
  return target;
}

describe.each(TEST_BACKENDS)('BatchWriter on $name', (backend) => {
  let opened: OpenedTestStore;
  let store: KyselyStore;
  const writers: BatchWriter[] = [];

  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });

  afterEach(async () => {
    for (const writer of writers.splice(0)) await writer.close().catch(() => undefined);
    await opened.cleanup();
  });

  function newWriter(target: BatchTarget, options: ConstructorParameters<typeof BatchWriter>[1] = {}): BatchWriter {
    const writer = new BatchWriter(target, { logger: recordingLogger(), ...options });
    writers.push(writer);
    return writer;
  }

  it('writes every row enqueued by concurrent producers, decisions with their requests', async () => {
    const writer = newWriter(store, { batchSize: 100, flushIntervalMs: 5, maxQueue: 1_000 });
    const producers = Array.from({ length: 8 }, async (_, p) => {
      const ids: string[] = [];
      for (let i = 0; i < 400; i += 1) {
        const request = makeRequestRow({ id: `p${p}_${i}` });
        ids.push(request.id);
        await writer.enqueueRequest(request);
        await writer.enqueueDecision(makeDecisionRow(request.id));
        if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      return ids;
    });
    const ids = (await Promise.all(producers)).flat();
    await writer.flush();

    expect(await store.countRequests()).toBe(3_200);
    expect(new Set(await store.listRequestIds())).toStrictEqual(new Set(ids));
    for (const id of ['p0_0', 'p3_199', 'p7_399']) {
      expect((await store.getDecisionByRequest(id))?.request_id).toBe(id);
    }
    expect(writer.counters).toMatchObject({ queued: 0, enqueued: 6_400, written: 6_400, failedFlushes: 0 });
  });

  it('applies back-pressure past maxQueue without dropping rows', async () => {
    const writer = newWriter(store, { batchSize: 1_000, flushIntervalMs: 60_000, maxQueue: 10 });
    const rows = Array.from({ length: 12 }, () => makeRequestRow());
    const results = rows.map((row) => writer.enqueueRequest(row));

    expect(results.slice(0, 10).every((r) => r === undefined)).toBe(true);
    expect(results[10]).toBeInstanceOf(Promise);
    expect(results[11]).toBeInstanceOf(Promise);
    // Going over the limit starts a write at once instead of waiting for the (one-minute) timer.
    await Promise.all(results.filter((r): r is Promise<void> => r instanceof Promise));
    expect(writer.counters.queued).toBeLessThanOrEqual(10);
    await writer.flush();
    expect(await store.countRequests()).toBe(12);
  });

  it('holds rows until the timer or close, and writes them all on close', async () => {
    const writer = newWriter(store, { batchSize: 1_000, flushIntervalMs: 60_000 });
    const reservation = makeReservation({ key_id: 'key_c', created_at: 10 });
    // Below maxQueue an enqueue returns no backpressure promise: nothing to wait for.
    void writer.enqueueRequest(makeRequestRow());
    void writer.enqueueRequest(makeRequestRow());
    void writer.enqueueReservation(reservation);
    void writer.enqueueReservation({ ...reservation, settled_usd: 0.25, status: 'settled' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.countRequests()).toBe(0);
    expect(writer.counters.queued).toBe(4);

    await writer.close();
    expect(await store.countRequests()).toBe(2);
    expect(await store.sumKeySpendSince('key_c', 0)).toBe(0.25);
    expect(() => writer.enqueueRequest(makeRequestRow())).toThrow(/closed/);
  });

  it('starts a flush before the timer when one kind of row fills a batch, not the kinds together', async () => {
    const writer = newWriter(store, { batchSize: 4, flushIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const request = makeRequestRow();
      void writer.enqueueRequest(request);
      void writer.enqueueDecision(makeDecisionRow(request.id));
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writer.counters.flushes).toBe(0);
    expect(writer.counters.queued).toBe(6);

    void writer.enqueueRequest(makeRequestRow());
    await vi.waitFor(
      async () => {
        expect(writer.counters.flushes).toBe(1);
        expect(await store.countRequests()).toBe(4);
      },
      { timeout: 15_000, interval: 10 },
    );
  });

  it('flushes on its timer', async () => {
    const writer = newWriter(store, { batchSize: 1_000, flushIntervalMs: 10 });
    void writer.enqueueRequest(makeRequestRow());
    // The row can be visible to a reader a moment before the writer learns its commit
    // went through, so wait for both rather than reading the counter right after the row.
    await vi.waitFor(
      async () => {
        expect(await store.countRequests()).toBe(1);
        expect(writer.counters.flushes).toBe(1);
      },
      { timeout: 15_000, interval: 10 },
    );
  });

  it('keeps the rows of a failed flush and writes them on the backoff retry', async () => {
    const target = failingTarget(store, 1);
    const logger = recordingLogger();
    const writer = newWriter(target, { batchSize: 1_000, flushIntervalMs: 5, retryBaseDelayMs: 10, logger });
    const request = makeRequestRow();
    void writer.enqueueRequest(request);
    void writer.enqueueDecision(makeDecisionRow(request.id));

    // As above: wait until the writer has seen its commit, not only until the row is readable.
    await vi.waitFor(() => expect(writer.counters).toMatchObject({ queued: 0, written: 2 }), { timeout: 15_000, interval: 10 });
    expect(await store.countRequests()).toBe(1);
    expect(await store.getRequest(request.id)).toStrictEqual(request);
    expect((await store.getDecisionByRequest(request.id))?.request_id).toBe(request.id);
    expect(target.attempts).toBe(2);
    expect(writer.counters.failedFlushes).toBe(1);
    expect(logger.messages).toStrictEqual(['store batch write failed; rows kept for retry']);
  });

  it('rejects flush after repeated failures with the rows still queued, then recovers', async () => {
    const target = failingTarget(store, 3);
    const writer = newWriter(target, { batchSize: 1_000, flushIntervalMs: 60_000, retryBaseDelayMs: 1, maxFlushAttempts: 3 });
    void writer.enqueueRequest(makeRequestRow());
    void writer.enqueueRequest(makeRequestRow());

    await expect(writer.flush()).rejects.toThrow(/failed 3 times; 2 rows still queued/);
    expect(writer.counters).toMatchObject({ queued: 2, written: 0, failedFlushes: 3 });
    expect(await store.countRequests()).toBe(0);

    await writer.flush();
    expect(await store.countRequests()).toBe(2);
  });

  it('writes through a plain Store (no writeBatch), requests before decisions', async () => {
    const calls: string[] = [];
    const plain: BatchTarget = {
      insertRequests: async (rows) => {
        calls.push(`requests:${rows.length}`);
        await store.insertRequests(rows);
      },
      insertDecisions: async (rows) => {
        calls.push(`decisions:${rows.length}`);
        await store.insertDecisions(rows);
      },
      upsertReservations: async (rows) => {
        calls.push(`reservations:${rows.length}`);
        await store.upsertReservations(rows);
      },
    };
    const writer = newWriter(plain, { flushIntervalMs: 60_000 });
    const request = makeRequestRow();
    void writer.enqueueDecision(makeDecisionRow(request.id));
    void writer.enqueueRequest(request);
    await writer.flush();
    expect(calls).toStrictEqual(['requests:1', 'decisions:1', 'reservations:0']);
    expect((await store.getDecisionByRequest(request.id))?.request_id).toBe(request.id);
  });

  it.runIf(backend.name === 'sqlite')(
    'writes 100k rows into SQLite',
    async () => {
      const writer = newWriter(store, { batchSize: 2_000, flushIntervalMs: 20, maxQueue: 20_000 });
      for (let i = 0; i < 100_000; i += 1) {
        const pending = writer.enqueueRequest(makeRequestRow({ id: `bulk_${i}` }));
        if (pending !== undefined) await pending;
      }
      await writer.close();
      expect(await store.countRequests()).toBe(100_000);
      expect(writer.counters).toMatchObject({ queued: 0, enqueued: 100_000, written: 100_000, failedFlushes: 0 });
    },
    120_000,
  );
});

it('accepts a pino logger', () => {
  const logger: BatchWriterLogger = pino({ enabled: false });
  expect(typeof logger.warn).toBe('function');
});
