import { randomUUID } from 'node:crypto';
import { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { OwnSchemaPostgresDialect } from './own-schema-introspector.ts';
import { TEST_POSTGRES_URL } from './store-test-support.ts';

const tag = `${process.pid}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const own = `aigw_introspect_${tag}`;
const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });

afterAll(async () => {
  await admin.query(`drop schema if exists ${own} cascade`);
  await admin.end();
});

function dbOn(schema: string): Kysely<unknown> {
  const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 2, options: `-c search_path=${schema}` });
  return new Kysely<unknown>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
}

describe('own-schema introspector (PostgreSQL)', () => {
  it("lists the current schema's tables and views only", async () => {
    await admin.connect();
    await admin.query(`create schema ${own}; create table ${own}.kysely_migration (name text); create view ${own}.v as select 1 as one`);
    await admin.query(`create schema ${own}_other; create table ${own}_other.kysely_migration (name text)`);
    const db = dbOn(own);
    try {
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => [t.schema, t.name, t.isView])).toEqual([
        [own, 'kysely_migration', false],
        [own, 'v', true],
      ]);
    } finally {
      await db.destroy();
      await admin.query(`drop schema ${own}_other cascade`);
    }
  });

  // Kysely's own introspector failed 104 of 300 calls here with `schema "…" does not exist`: it
  // names every schema of the database, and the store's migration failed the same way whenever a
  // parallel test dropped its schema at that moment.
  it('never fails while other schemas are created and dropped', async () => {
    const churn = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      for (let i = 0; !stop; i++) {
        const decoy = `aigw_decoy_${tag}_${i % 4}`;
        await churn.query(`create schema if not exists ${decoy}; create table if not exists ${decoy}.t (id serial primary key)`);
        await churn.query(`drop schema ${decoy} cascade`);
      }
    })();
    const db = dbOn(own);
    const failures: string[] = [];
    try {
      for (let k = 0; k < 300; k++) await db.introspection.getTables().catch((err: unknown) => failures.push(String(err)));
    } finally {
      stop = true;
      await churning;
      await churn.end();
      await db.destroy();
    }
    expect(failures).toEqual([]);
  });
});
