/**
 * `node bin/run-ts.mjs bench/store-write.ts` — what one batch-writer flush into SQLite costs the
 * gateway's main thread, for three write paths:
 *   kysely-main   the previous path: kysely's query builder, better-sqlite3 on the main thread
 *   raw-main      cached multi-row INSERT text, still on the main thread (what insertRequests does)
 *   write-thread  the store's path since: rows flattened and posted to a worker thread that commits
 *                 them with cached prepared statements (what `store.writeBatch` does on SQLite)
 * For each: rows/s (wall time of back-to-back flushes), main-thread busy ms per flush (event-loop
 * utilisation) and the longest event-loop stall seen by a 1 ms timer during the flushes.
 *
 * Flags: --rows N (requests per flush, plus as many decisions; 200), --flushes N (200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SQLITE_MAX_PARAMS } from '../src/store/insert-chunks.ts';
import { KyselyStore, type WriteBatch } from '../src/store/kysely-store.ts';
import { openStore, SQLITE_FILE_NAME } from '../src/store/open-store.ts';
import { encodeDecisionRow, encodeRequestRow } from '../src/store/row-codec.ts';
import type { Database } from '../src/store/schema.ts';
import { makeDecisionRow, makeRequestRow } from '../src/store/store-test-support.ts';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '200' }, flushes: { type: 'string', default: '200' } },
});
const rowsPerFlush = Number.parseInt(args.rows, 10);
const flushes = Number.parseInt(args.flushes, 10);

interface PathResult {
  path: string;
  rowsPerS: number;
  busyMsPerFlush: number;
  maxStallMs: number;
  wallMsPerFlush: number;
}

function makeBatches(count: number): WriteBatch[] {
  return Array.from({ length: count }, () => {
    const requests = Array.from({ length: rowsPerFlush }, () => makeRequestRow());
    return { requests, decisions: requests.map((r) => makeDecisionRow(r.id)), reservations: [] };
  });
}

/** The write path before the write thread: kysely's builder, one chunked INSERT per table, main thread. */
async function writeWithKyselyBuilder(db: Kysely<Database>, batch: WriteBatch): Promise<void> {
  const perChunk = (columns: number) => Math.floor(SQLITE_MAX_PARAMS / columns);
  await db.transaction().execute(async (trx) => {
    const requests = batch.requests.map(encodeRequestRow);
    for (let i = 0; i < requests.length; i += perChunk(28)) {
      await trx
        .insertInto('requests')
        .values(requests.slice(i, i + perChunk(28)))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    const decisions = batch.decisions.map(encodeDecisionRow);
    for (let i = 0; i < decisions.length; i += perChunk(14)) {
      await trx
        .insertInto('decisions')
        .values(decisions.slice(i, i + perChunk(14)))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}

async function measure(path: string, write: (batch: WriteBatch) => Promise<void>): Promise<PathResult> {
  for (const batch of makeBatches(10)) await write(batch); // warm-up: JIT, statement caches, thread start
  const batches = makeBatches(flushes);
  let last = performance.now();
  let maxStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - last - 1);
    last = now;
  }, 1);
  const eluBefore = performance.eventLoopUtilization();
  const startedMs = performance.now();
  for (const batch of batches) {
    await write(batch);
    // The gateway flushes on a timer: let the ticker run between flushes like requests would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const wallMs = performance.now() - startedMs;
  const elu = performance.eventLoopUtilization(eluBefore);
  clearInterval(ticker);
  return {
    path,
    rowsPerS: Math.round((flushes * rowsPerFlush * 2) / (wallMs / 1000)),
    busyMsPerFlush: elu.active / flushes,
    maxStallMs,
    wallMsPerFlush: wallMs / flushes,
  };
}

async function withFreshDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-store-bench-'));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A store whose batches are committed on the main thread (no write thread), on a migrated file. */
async function mainThreadStore(dir: string): Promise<KyselyStore> {
  await (await openStore({ dir })).close(); // migrates
  const database = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
  for (const pragma of ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000']) database.pragma(pragma);
  return new KyselyStore(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), { name: 'sqlite', maxQueryParams: SQLITE_MAX_PARAMS });
}

const results: PathResult[] = [];
results.push(
  await withFreshDir(async (dir) => {
    const store = await mainThreadStore(dir);
    try {
      return await measure('kysely-main', (batch) => writeWithKyselyBuilder(store.db, batch));
    } finally {
      await store.close();
    }
  }),
);
results.push(
  await withFreshDir(async (dir) => {
    const store = await mainThreadStore(dir);
    try {
      return await measure('raw-main', (batch) => store.writeBatch(batch));
    } finally {
      await store.close();
    }
  }),
);
results.push(
  await withFreshDir(async (dir) => {
    const store = await openStore({ dir });
    try {
      return await measure('write-thread', (batch) => store.writeBatch(batch));
    } finally {
      await store.close();
    }
  }),
);

console.log(`${flushes} flushes of ${rowsPerFlush} request + ${rowsPerFlush} decision rows each (Node ${process.version})`);
console.log('| path | rows/s | wall ms/flush | main-thread busy ms/flush | max event-loop stall ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of results) {
  console.log(`| ${r.path} | ${r.rowsPerS} | ${r.wallMsPerFlush.toFixed(2)} | ${r.busyMsPerFlush.toFixed(2)} | ${r.maxStallMs.toFixed(1)} |`);
}
