import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer.ts';
import { DiskSpool } from './disk-spool.ts';
import type { WriteBatch } from './kysely-store.ts';
import { makeDecisionRow, makeRequestRow, makeReservation } from './store-test-support.ts';
import type { BudgetReservationRow, DecisionRow, RequestRow } from './types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-spool-'));
  dirs.push(dir);
  return dir;
}

/** A store that refuses every batch while `down`, keeping every committed row (duplicates too). */
function flakyTarget() {
  const committed = { requests: [] as RequestRow[], decisions: [] as DecisionRow[], reservations: [] as BudgetReservationRow[] };
  const state = { down: false };
  const fail = () => {
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  };
  return {
    committed,
    state,
    insertRequests: async (rows: RequestRow[]) => (fail(), void committed.requests.push(...rows)),
    insertDecisions: async (rows: DecisionRow[]) => (fail(), void committed.decisions.push(...rows)),
    upsertReservations: async (rows: BudgetReservationRow[]) => (fail(), void committed.reservations.push(...rows)),
    writeBatch: async (batch: WriteBatch) => {
      fail();
      committed.requests.push(...batch.requests);
      committed.decisions.push(...batch.decisions);
      committed.reservations.push(...batch.reservations);
    },
  };
}

const quiet = { warn: () => undefined, info: () => undefined };

describe('DiskSpool', () => {
  it('keeps spilled batches across a restart, oldest first, and respects its size bound', () => {
    const dir = spoolDir();
    const spool = new DiskSpool(dir, 1_000_000);
    const first = { requests: [makeRequestRow()], decisions: [], reservations: [] };
    const second = { requests: [makeRequestRow()], decisions: [], reservations: [makeReservation()] };
    expect(spool.spill(first)).toBe(true);
    expect(spool.spill(second)).toBe(true);
    writeFileSync(join(dir, 'seg-000000000000001-000001.json.tmp'), '{"half":');
    const reopened = new DiskSpool(dir, 1_000_000);
    expect(reopened.segmentCount).toBe(2);
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false);
    const head = reopened.oldest();
    expect(head?.batch).toEqual(first);
    if (head) reopened.remove(head.segment);
    expect(reopened.oldest()?.batch).toEqual(second);
    const tiny = new DiskSpool(spoolDir(), 10);
    expect(tiny.spill(first)).toBe(false);
    expect(tiny.isEmpty).toBe(true);
  });
});

describe('BatchWriter with a spool', () => {
  it('spills what the store refuses and replays it before newer rows once the store is back', async () => {
    const target = flakyTarget();
    const spool = new DiskSpool(spoolDir(), 1_000_000);
    const writer = new BatchWriter(target, { spool, logger: quiet, flushIntervalMs: 10, retryBaseDelayMs: 5, retryMaxDelayMs: 20, maxFlushAttempts: 2 });
    target.state.down = true;
    const reservation = makeReservation();
    const early = [makeRequestRow(), makeRequestRow()];
    // Below maxQueue an enqueue returns no backpressure promise: nothing to wait for.
    for (const row of early) void writer.enqueueRequest(row);
    void writer.enqueueReservation(reservation);
    await expect(writer.flush()).rejects.toThrow(/store flush failed/);
    expect(writer.counters.queued).toBe(0);
    expect(writer.counters.spoolSegments).toBeGreaterThan(0);

    const late = makeRequestRow();
    void writer.enqueueRequest(late);
    void writer.enqueueReservation({ ...reservation, status: 'settled', settled_usd: 0.001 });
    target.state.down = false;
    await writer.flush();
    expect(target.committed.requests.map((r) => r.id)).toEqual([...early, late].map((r) => r.id));
    // The settled write lands after the reserved one it replaces.
    expect(target.committed.reservations.map((r) => r.status)).toEqual(['reserved', 'settled']);
    expect(writer.counters.spoolSegments).toBe(0);
    await writer.close();
  });

  it('spools what is still queued at close when the store is down; the next writer replays it', async () => {
    const dir = spoolDir();
    const target = flakyTarget();
    target.state.down = true;
    const writer = new BatchWriter(target, { spool: new DiskSpool(dir, 1_000_000), logger: quiet, retryBaseDelayMs: 1, maxFlushAttempts: 2 });
    const rows = Array.from({ length: 5 }, () => makeRequestRow());
    for (const row of rows) void writer.enqueueRequest(row);
    void writer.enqueueDecision(makeDecisionRow(rows[0]?.id ?? ''));
    await writer.close();
    target.state.down = false;
    const next = new BatchWriter(target, { spool: new DiskSpool(dir, 1_000_000), logger: quiet });
    await next.flush();
    expect(target.committed.requests.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(target.committed.decisions).toHaveLength(1);
    await next.close();
  });

  it('enqueueRequestDurable resolves once the row is committed, or on disk while the store is down', async () => {
    const target = flakyTarget();
    const writer = new BatchWriter(target, {
      spool: new DiskSpool(spoolDir(), 1_000_000),
      logger: quiet,
      flushIntervalMs: 60_000,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 20,
    });
    const row = makeRequestRow();
    await writer.enqueueRequestDurable(row);
    expect(target.committed.requests.map((r) => r.id)).toEqual([row.id]);
    target.state.down = true;
    void writer.enqueueRequest(makeRequestRow());
    await expect(writer.flush()).rejects.toThrow();
    await writer.enqueueRequestDurable(makeRequestRow());
    expect(writer.counters.queued).toBe(0);
    target.state.down = false;
    await writer.close();
    expect(target.committed.requests).toHaveLength(3);
  });
});
