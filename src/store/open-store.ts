import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import { POSTGRES_MAX_PARAMS, SQLITE_MAX_PARAMS } from './insert-chunks.ts';
import { KyselyStore } from './kysely-store.ts';
import { OwnSchemaPostgresDialect } from './own-schema-introspector.ts';
import type { Database } from './schema.ts';
import { SqliteReadPoolDialect } from './sqlite-read-dialect.ts';
import { SqliteReadPool } from './sqlite-read-pool.ts';
import { SqliteWriteThread } from './sqlite-write-thread.ts';

export interface OpenStoreOptions {
  /** postgres:// or postgresql:// selects PostgreSQL; absent or empty selects SQLite in `dir`. */
  databaseUrl?: string;
  /** Directory of the SQLite file `aigw.db` (created if missing). */
  dir: string;
  /** PostgreSQL schema to create and use through search_path (tests use one per run). */
  schema?: string;
  /** PostgreSQL pool size. */
  poolMax?: number;
  /** Errors of idle pooled pg connections (server restart, network); the next query fails and is retried by its caller. */
  onConnectionError?: (err: Error) => void;
  /** PostgreSQL: a connection attempt slower than this fails (default: no limit). */
  connectTimeoutMs?: number;
}

export const SQLITE_FILE_NAME = 'aigw.db';

/**
 * Where the store of a configured gateway lives: `DATABASE_URL` overrides `store.database_url`, and
 * `AIGW_STORE_DIR` overrides `store.dir` (how `aigw demo` keeps its traffic apart, and how to point
 * `aigw report` or `aigw rules apply` at the demo's store). One function, so the gateway and every
 * command open the same store.
 */
export function configuredStoreOptions(
  cwd: string,
  store: { dir: string; database_url?: string | undefined; pg_schema?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): OpenStoreOptions {
  return { databaseUrl: env.DATABASE_URL ?? store.database_url, dir: resolve(cwd, env.AIGW_STORE_DIR ?? store.dir), schema: store.pg_schema };
}

// WAL lets readers (analytics, CLI, the main thread while the write thread commits) run alongside
// the writer; NORMAL is durable against process crashes and loses at most the last commits on power
// loss, which a spend log tolerates.
//
// better-sqlite3 builds SQLite with a 16 MB page cache per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000);
// the main connection and the write thread take SQLite's stock 2 MB instead. The write thread only
// inserts, each row landing on a random leaf of the id indexes: its cache filled with index pages as
// the tables grew (+16 MB of RSS in the first 5 minutes of `bench:soak`). The main connection's
// completion-length snapshot reads the newest 5000 requests per task type every 60 s, so its cache
// grew with the requests table (~0.5 MB a minute in the soak) up to 16 MB. 2 MB keeps the indexes'
// upper levels; other pages come from the OS page cache (docs/operations.md "## Memory" has the
// measurements: at most a few ms more CPU per refresh, once a minute).
const SQLITE_PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'cache_size = -2000'] as const;

// Checkpoints (copying the WAL's pages back into the file) run on the write thread only, every ~16 MB
// of WAL (4000 pages) instead of SQLite's 4 MB: the log tables' value-ordered indexes (latency,
// decision time) and the tables' last pages are rewritten by every commit, and each checkpoint copies
// them again and syncs the file. Same-process A/B of the thread's CPU (20k+ rows stored, batches of
// 500 request + decision + learning rows, interleaved): 76.5 → 64.3 µs per routed request, most of it
// system time. The main connection never checkpoints, so its rare commits (keys, feedback, states)
// never stall the event loop copying the WAL; the last connection to close checkpoints what is left.
const SQLITE_MAIN_PRAGMAS = [...SQLITE_PRAGMAS, 'wal_autocheckpoint = 0'] as const;
const SQLITE_WRITE_THREAD_PRAGMAS = [...SQLITE_PRAGMAS, 'wal_autocheckpoint = 4000'] as const;

// A read-only connection cannot change the journal mode; it reads the WAL the main one set. Readers
// keep the 16 MB cache: they start only for analytics, whose scans re-read the same recent rows.
const SQLITE_READ_PRAGMAS = ['busy_timeout = 5000'] as const;

const PG_INT8_OID = 20;
const PG_NUMERIC_OID = 1700;

/** Opens the store for `opts` and brings its schema to the latest migration. */
export async function openStore(opts: OpenStoreOptions): Promise<KyselyStore> {
  const url = opts.databaseUrl?.trim();
  let store: KyselyStore;
  let sqliteFile: string | undefined;
  if (url === undefined || url === '') {
    mkdirSync(opts.dir, { recursive: true });
    sqliteFile = join(opts.dir, SQLITE_FILE_NAME);
    store = openSqliteStore(sqliteFile);
  } else if (isPostgresUrl(url)) {
    store = await openPostgresStore(url, opts.schema, opts.poolMax ?? 10, opts.onConnectionError, opts.connectTimeoutMs);
  } else {
    throw new Error(`unsupported database_url scheme in "${url.split(':')[0]}:…"; use postgres:// or leave it empty for SQLite`);
  }
  try {
    await store.migrate();
    // Started after the migrations, which run on the main connection, so the thread prepares its
    // statements against the final schema.
    if (sqliteFile !== undefined) {
      // The write thread boots while the gateway finishes starting; migrations ran on this connection.
      store.writeBatchesThrough(SqliteWriteThread.startInBackground({ file: sqliteFile, pragmas: SQLITE_WRITE_THREAD_PRAGMAS }, opts.onConnectionError));
      // Reader threads start on the first analytics query, so a gateway that never reports pays nothing.
      store.readAnalyticsThrough(
        new Kysely<Database>({ dialect: new SqliteReadPoolDialect(new SqliteReadPool({ file: sqliteFile, pragmas: SQLITE_READ_PRAGMAS })) }),
      );
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

function openSqliteStore(file: string): KyselyStore {
  const database = new BetterSqlite3(file);
  for (const pragma of SQLITE_MAIN_PRAGMAS) database.pragma(pragma);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return new KyselyStore(db, { name: 'sqlite', maxQueryParams: SQLITE_MAX_PARAMS });
}

async function openPostgresStore(
  url: string,
  schema: string | undefined,
  poolMax: number,
  onConnectionError: ((err: Error) => void) | undefined,
  connectTimeoutMs: number | undefined,
): Promise<KyselyStore> {
  if (schema !== undefined) assertSafeIdentifier(schema);
  // Loaded only for PostgreSQL: an embedded-store gateway never pays its memory.
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: url,
    max: poolMax,
    ...(connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: connectTimeoutMs }),
    types: postgresTypeParsers(pgModule),
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client's error is emitted on the pool; unhandled, it would crash the process.
  pool.on('error', (err) => onConnectionError?.(err));
  // A client checked out when the server goes away (pg_ctl stop, failover) emits its error on
  // itself, where no one listens while it is out of the pool: without this the process crashes.
  // The query it was running fails on its own and its caller retries (batch writer) or degrades.
  pool.on('connect', (client) => client.on('error', (err) => onConnectionError?.(err)));
  const db = new Kysely<Database>({ dialect: new OwnSchemaPostgresDialect({ pool }) });
  try {
    if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    const current = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const tableSchema = current.rows[0]?.schema ?? schema ?? 'public';
    return new KyselyStore(db, { name: 'postgres', maxQueryParams: POSTGRES_MAX_PARAMS, migrationTableSchema: tableSchema });
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

/**
 * Per-pool parsers (not pg's process-global ones): BIGINT epoch ms and COUNT(*) come back as JS
 * numbers, and NUMERIC results of SUM/AVG over integer columns as floats, matching SQLite.
 */
function postgresTypeParsers(pgModule: typeof pg): pg.CustomTypesConfig {
  const overrides = new pgModule.TypeOverrides();
  overrides.setTypeParser(PG_INT8_OID, 'text', parseInt8AsNumber);
  overrides.setTypeParser(PG_NUMERIC_OID, 'text', (value: string) => Number.parseFloat(value));
  return overrides;
}

function parseInt8AsNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${value} does not fit a JS number`);
  return n;
}

function assertSafeIdentifier(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`invalid PostgreSQL schema name: ${name}`);
  }
}
