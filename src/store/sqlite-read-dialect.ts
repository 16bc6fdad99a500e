import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { SqliteReadPool } from './sqlite-read-pool.ts';

/** Every query goes to whichever reader is free, so there is no connection to hold between queries. */
class PoolConnection implements DatabaseConnection {
  constructor(private readonly pool: SqliteReadPool) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pool.query(query.sql, query.parameters);
    return {
      rows: result.rows as R[],
      ...(result.numAffectedRows === undefined ? {} : { numAffectedRows: BigInt(result.numAffectedRows) }),
    };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.executeQuery<R>(query);
    for (const row of result.rows) yield { rows: [row] };
  }
}

function noTransactions(): never {
  // A transaction needs one connection for several statements; the pool hands each statement to
  // any reader. Writes and transactions belong on the store's main connection.
  throw new Error('the SQLite read pool runs single read statements only, not transactions');
}

class PoolDriver implements Driver {
  private readonly connection: PoolConnection;
  constructor(private readonly pool: SqliteReadPool) {
    this.connection = new PoolConnection(pool);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    noTransactions();
  }
  async commitTransaction(): Promise<void> {
    noTransactions();
  }
  async rollbackTransaction(): Promise<void> {
    noTransactions();
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.pool.close();
  }
}

/** A Kysely dialect over a SqliteReadPool: SQLite's SQL, run on the pool's reader threads. */
export class SqliteReadPoolDialect implements Dialect {
  constructor(private readonly pool: SqliteReadPool) {}
  createAdapter(): SqliteAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new PoolDriver(this.pool);
  }
  createQueryCompiler(): SqliteQueryCompiler {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}
