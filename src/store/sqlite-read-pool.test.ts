import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KyselyStore } from './kysely-store.ts';
import { openStore, SQLITE_FILE_NAME } from './open-store.ts';
import type { Database } from './schema.ts';
import { SqliteReadPoolDialect } from './sqlite-read-dialect.ts';
import { SqliteReadPool, type ReadResult } from './sqlite-read-pool.ts';
import { makeRequestRow } from './store-test-support.ts';

// A statement that keeps one reader busy for a while without touching any table.
const SLOW_COUNT_SQL = 'with recursive c(n) as (select 1 union all select n + 1 from c where n < 3000000) select count(*) as n from c';

describe('SqliteReadPool', () => {
  let dir: string;
  let store: KyselyStore;
  const pools: SqliteReadPool[] = [];

  const poolOf = (threads: number): SqliteReadPool => {
    const pool = new SqliteReadPool({ file: join(dir, SQLITE_FILE_NAME), pragmas: ['busy_timeout = 5000'], threads });
    pools.push(pool);
    return pool;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-read-pool-'));
    store = await openStore({ dir });
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads through the store what the main connection reads, including rows the write thread just committed', async () => {
    await store.writeBatch({
      requests: [makeRequestRow({ id: 'r1', model_used: 'm-a', cost_usd: 0.5 }), makeRequestRow({ id: 'r2', model_used: 'm-b', stream: true })],
      decisions: [],
      reservations: [],
    });
    const query = (db: Kysely<Database>) => db.selectFrom('requests').select(['id', 'model_used', 'cost_usd', 'stream']).orderBy('id').execute();
    expect(store.readDb).not.toBe(store.db);
    expect(await query(store.readDb)).toStrictEqual(await query(store.db));
    expect((await query(store.readDb)).map((r) => r.id)).toStrictEqual(['r1', 'r2']);
  });

  it('runs queries side by side: a quick query is answered while a slow one still runs', async () => {
    const pool = poolOf(2);
    await pool.query('select 1', []); // both threads started before the race below
    await Promise.all([pool.query('select 1', []), pool.query('select 1', [])]);
    const order: string[] = [];
    const answered = (name: string) => (r: ReadResult) => {
      order.push(name);
      return r;
    };
    const slow = pool.query(SLOW_COUNT_SQL, []).then(answered('slow'));
    const quick = pool.query('select ? as v', [7]).then(answered('quick'));
    expect((await quick).rows).toStrictEqual([{ v: 7 }]);
    expect((await slow).rows).toStrictEqual([{ n: 3_000_000 }]);
    expect(order).toStrictEqual(['quick', 'slow']);
  });

  it('with one thread, answers in the order asked', async () => {
    const pool = poolOf(1);
    const order: string[] = [];
    const slow = pool.query(SLOW_COUNT_SQL, []).then(() => order.push('slow'));
    const quick = pool.query('select 1 as v', []).then(() => order.push('quick'));
    await Promise.all([slow, quick]);
    expect(order).toStrictEqual(['slow', 'quick']);
  });

  it('refuses writes (read-only connections) and transactions, and keeps serving afterwards', async () => {
    await expect(store.readDb.deleteFrom('requests').execute()).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await expect(store.readDb.transaction().execute(async () => undefined)).rejects.toThrow(/not transactions/);
    await expect(sql`select * from no_such_table`.execute(store.readDb)).rejects.toThrow(/no such table/);
    expect((await sql<{ v: number }>`select ${5} + 1 as v`.execute(store.readDb)).rows).toStrictEqual([{ v: 6 }]);
  });

  it('fails every queued query with the cause when no reader can open the file', async () => {
    const pool = new SqliteReadPool({ file: join(dir, 'missing.db'), pragmas: [], threads: 2 });
    pools.push(pool);
    const db = new Kysely<Database>({ dialect: new SqliteReadPoolDialect(pool) });
    await expect(Promise.all([sql`select 1`.execute(db), sql`select 2`.execute(db)])).rejects.toThrow(/could not open .*missing\.db/);
  });

  it('rejects queries after close', async () => {
    const pool = poolOf(2);
    await pool.query('select 1', []);
    await pool.close();
    await expect(pool.query('select 1', [])).rejects.toThrow(/closed/);
  });
});
