import { Migrator, type Kysely } from 'kysely';
import { staticMigrationProvider } from './migrations/index.ts';
import { chunkRowsForParams } from './insert-chunks.ts';
import {
  decodeRequestRow,
  encodeApiKeyRow,
  encodeDecisionRow,
  encodeRequestRow,
  encodeReservationRow,
  lastWritePerReservation,
  toNumber,
} from './row-codec.ts';
import type { Database } from './schema.ts';
import type { ApiKeyRow, BudgetReservationRow, DecisionRow, RequestRow, Store } from './types.ts';

/** What differs between the dialects; everything else is the same kysely code. */
export interface DialectTraits {
  readonly name: Store['dialect'];
  readonly maxQueryParams: number;
  /** pg only: the schema the tables live in, so the migrator does not see another schema's bookkeeping tables. */
  readonly migrationTableSchema?: string;
}

/** Everything one flush of the batch writer commits together. */
export interface WriteBatch {
  readonly requests: readonly RequestRow[];
  readonly decisions: readonly DecisionRow[];
  readonly reservations: readonly BudgetReservationRow[];
}

/** A target the batch writer can commit to: one transaction per batch. */
export interface BatchSink {
  writeBatch(batch: WriteBatch): Promise<void>;
}

export class KyselyStore implements Store, BatchSink {
  constructor(
    /** Exposed for analytics queries; keep SQL inside src/store and src/analytics. */
    readonly db: Kysely<Database>,
    private readonly traits: DialectTraits,
  ) {}

  get dialect(): Store['dialect'] {
    return this.traits.name;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: staticMigrationProvider,
      ...(this.traits.migrationTableSchema === undefined ? {} : { migrationTableSchema: this.traits.migrationTableSchema }),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`store migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  insertRequests(rows: RequestRow[]): Promise<void> {
    return insertRequestsWith(this.db, rows, this.traits.maxQueryParams);
  }

  insertDecisions(rows: DecisionRow[]): Promise<void> {
    return insertDecisionsWith(this.db, rows, this.traits.maxQueryParams);
  }

  upsertReservations(rows: BudgetReservationRow[]): Promise<void> {
    return upsertReservationsWith(this.db, rows, this.traits.maxQueryParams);
  }

  async writeBatch(batch: WriteBatch): Promise<void> {
    const maxParams = this.traits.maxQueryParams;
    await this.db.transaction().execute(async (trx) => {
      await insertRequestsWith(trx, batch.requests, maxParams);
      await insertDecisionsWith(trx, batch.decisions, maxParams);
      await upsertReservationsWith(trx, batch.reservations, maxParams);
    });
  }

  async getRequest(id: string): Promise<RequestRow | undefined> {
    const row = await this.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : decodeRequestRow(row);
  }

  getDecisionByRequest(requestId: string): Promise<DecisionRow | undefined> {
    return this.db.selectFrom('decisions').selectAll().where('request_id', '=', requestId).executeTakeFirst();
  }

  async countRequests(): Promise<number> {
    const row = await this.db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return toNumber(row.n);
  }

  async listRequestIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('requests').select('id').orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Sums `settled_usd` of the key's settled reservations created at or after `sinceMs`. */
  async sumKeySpendSince(keyId: string, sinceMs: number): Promise<number> {
    const row = await this.db
      .selectFrom('budget_reservations')
      .select((eb) => eb.fn.sum<number | string | null>('settled_usd').as('total'))
      .where('key_id', '=', keyId)
      .where('status', '=', 'settled')
      .where('created_at', '>=', sinceMs)
      .executeTakeFirst();
    return toNumber(row?.total ?? 0);
  }

  async createApiKey(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(encodeApiKeyRow(row)).execute();
  }

  listApiKeys(): Promise<ApiKeyRow[]> {
    return this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute();
  }

  /**
   * Revokes the active key whose id is `idOrPrefix`, or else the one active key with that prefix.
   * Returns false when no active key matches; throws when a prefix matches several active keys,
   * because revoking the wrong key is worse than asking for the id.
   */
  async revokeApiKey(idOrPrefix: string, atMs: number): Promise<boolean> {
    const matches = await this.db
      .selectFrom('api_keys')
      .select(['id', 'key_prefix'])
      .where((eb) => eb.or([eb('id', '=', idOrPrefix), eb('key_prefix', '=', idOrPrefix)]))
      .where('revoked_at', 'is', null)
      .execute();
    const byId = matches.find((m) => m.id === idOrPrefix);
    if (byId === undefined && matches.length > 1) {
      throw new Error(`key prefix ${idOrPrefix} matches ${matches.length} active keys; revoke by id instead`);
    }
    const target = byId ?? matches[0];
    if (target === undefined) return false;
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: atMs })
      .where('id', '=', target.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  findApiKeyByHash(hash: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

// Requests and decisions are append-only logs keyed by id: DO NOTHING makes a retried flush whose
// first attempt did commit (e.g. the connection dropped on COMMIT's reply) harmless.
async function insertRequestsWith(db: Kysely<Database>, rows: readonly RequestRow[], maxParams: number): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunkRowsForParams(rows.map(encodeRequestRow), maxParams)) {
    await db.insertInto('requests').values(chunk).onConflict((oc) => oc.doNothing()).execute();
  }
}

async function insertDecisionsWith(db: Kysely<Database>, rows: readonly DecisionRow[], maxParams: number): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunkRowsForParams(rows.map(encodeDecisionRow), maxParams)) {
    await db.insertInto('decisions').values(chunk).onConflict((oc) => oc.doNothing()).execute();
  }
}

async function upsertReservationsWith(
  db: Kysely<Database>,
  rows: readonly BudgetReservationRow[],
  maxParams: number,
): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunkRowsForParams(lastWritePerReservation(rows).map(encodeReservationRow), maxParams)) {
    await db
      .insertInto('budget_reservations')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          reserved_usd: eb.ref('excluded.reserved_usd'),
          settled_usd: eb.ref('excluded.settled_usd'),
          status: eb.ref('excluded.status'),
        })),
      )
      .execute();
  }
}
