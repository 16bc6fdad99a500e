import { Migrator, type Kysely } from 'kysely';
import { staticMigrationProvider } from './migrations/index.ts';
import { DECISIONS_SPEC, REQUESTS_SPEC, RESERVATIONS_SPEC, flattenDecisionRows, flattenRequestRows, flattenReservationRows } from './log-tables.ts';
import { insertFlatRows } from './multi-row-insert.ts';
import { LearningStore } from './learning-store.ts';
import { decodeRequestRow, encodeApiKeyRow, toNumber } from './row-codec.ts';
import type { Database } from './schema.ts';
import type {
  ApiKeyRow,
  BudgetReservationRow,
  DecisionRow,
  FeedbackRow,
  LearningRowRecord,
  RecommendationRow,
  RecommendationStatus,
  RequestRow,
  Store,
} from './types.ts';

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

/** A batch sink that also owns a resource to release after the last write. */
export interface ClosableBatchSink extends BatchSink {
  close(): Promise<void>;
  /** Commits the learning loop's rows off the main connection (the SQLite write thread). */
  writeLearningRows?(rows: readonly LearningRowRecord[]): Promise<void>;
}

export class KyselyStore implements Store, BatchSink {
  /** Set for SQLite: batches are committed on a write thread instead of through `db`. */
  private batchSink: ClosableBatchSink | null = null;
  /** Set for SQLite: analytics read through a pool of reader threads instead of `db`. */
  private readPool: Kysely<Database> | null = null;

  constructor(
    /** The main connection: migrations, writes, rollup refreshes; keep SQL inside src/store and src/analytics. */
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
      // Numbers are assigned per feature and land in any order: a store that already ran 0009 still takes a later-landing 0007.
      allowUnorderedMigrations: true,
      ...(this.traits.migrationTableSchema === undefined ? {} : { migrationTableSchema: this.traits.migrationTableSchema }),
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`store migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, { cause: error });
    }
  }

  /**
   * Sends every later `writeBatch` to `sink` (which `close()` closes first). Single-row-set writes
   * (`insertRequests`, …) and all reads stay on `db`.
   */
  writeBatchesThrough(sink: ClosableBatchSink): void {
    if (this.batchSink !== null) throw new Error('store already writes batches through a sink');
    this.batchSink = sink;
  }

  /** The learning loop's SQL on this store; with a write thread its rows are inserted there, not on `db`. */
  learningStore(): LearningStore {
    const sink = this.batchSink;
    const writeRows = sink?.writeLearningRows?.bind(sink);
    return new LearningStore(this.db, writeRows);
  }

  /** Sends later `readDb` queries to `reader` (which `close()` destroys). */
  readAnalyticsThrough(reader: Kysely<Database>): void {
    if (this.readPool !== null) throw new Error('store already reads analytics through a pool');
    this.readPool = reader;
  }

  /** Where read-only analytics query: the reader threads on SQLite, `db` (a pool already) on PostgreSQL. */
  get readDb(): Kysely<Database> {
    return this.readPool ?? this.db;
  }

  insertRequests(rows: RequestRow[]): Promise<void> {
    return insertFlatRows(this.db, REQUESTS_SPEC, flattenRequestRows(rows), this.traits.maxQueryParams, this.traits.name);
  }

  insertDecisions(rows: DecisionRow[]): Promise<void> {
    return insertFlatRows(this.db, DECISIONS_SPEC, flattenDecisionRows(rows), this.traits.maxQueryParams, this.traits.name);
  }

  upsertReservations(rows: BudgetReservationRow[]): Promise<void> {
    return insertFlatRows(this.db, RESERVATIONS_SPEC, flattenReservationRows(rows), this.traits.maxQueryParams, this.traits.name);
  }

  async writeBatch(batch: WriteBatch): Promise<void> {
    if (this.batchSink !== null) {
      await this.batchSink.writeBatch(batch);
      return;
    }
    const { maxQueryParams, name } = this.traits;
    // Flattened before the transaction opens, so a pooled connection is held only for the round trips.
    const requests = flattenRequestRows(batch.requests);
    const decisions = flattenDecisionRows(batch.decisions);
    const reservations = flattenReservationRows(batch.reservations);
    await this.db.transaction().execute(async (trx) => {
      await insertFlatRows(trx, REQUESTS_SPEC, requests, maxQueryParams, name);
      await insertFlatRows(trx, DECISIONS_SPEC, decisions, maxQueryParams, name);
      await insertFlatRows(trx, RESERVATIONS_SPEC, reservations, maxQueryParams, name);
    });
  }

  async getRequest(id: string): Promise<RequestRow | undefined> {
    const row = await this.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : decodeRequestRow(row);
  }

  async getDecisionByRequest(requestId: string): Promise<DecisionRow | undefined> {
    const row = await this.db.selectFrom('decisions').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    return row ? { ...row, explored: Number(row.explored) === 1 } : undefined;
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

  async sumRequestCostSince(keyId: string, sinceMs: number): Promise<number> {
    const row = await this.db
      .selectFrom('requests')
      .select((eb) => eb.fn.sum<number | string | null>('cost_usd').as('total'))
      .where('key_id', '=', keyId)
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

  async upsertFeedback(row: FeedbackRow): Promise<void> {
    await this.db
      .insertInto('feedback')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['request_id', 'source']).doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          comment: eb.ref('excluded.comment'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
    // Every quality signal (a person's, the judge's, a tool-call error) also scores the request's
    // learning row, if routing left one: that is what the router learns from (docs/router-learning.md).
    await new LearningStore(this.db).scoreRequest(row.request_id, row.score, row.source, row.created_at);
  }

  async listFeedback(requestId: string): Promise<FeedbackRow[]> {
    const rows = await this.db.selectFrom('feedback').selectAll().where('request_id', '=', requestId).orderBy('source').execute();
    return rows.map((r) => ({ ...r, score: toNumber(r.score), created_at: toNumber(r.created_at) }));
  }

  async insertRecommendations(rows: RecommendationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('recommendations').values(rows).execute();
  }

  async getRecommendation(id: string): Promise<RecommendationRow | undefined> {
    const row = await this.db.selectFrom('recommendations').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { ...row, created_at: toNumber(row.created_at) };
  }

  async setRecommendationStatus(id: string, status: RecommendationStatus, atMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('recommendations')
      .set({ status, applied_at: status === 'applied' ? atMs : null })
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Closes the readers and the batch sink (after its pending writes) before the main connection. */
  async close(): Promise<void> {
    const sink = this.batchSink;
    const reader = this.readPool;
    this.batchSink = null;
    this.readPool = null;
    try {
      await Promise.all([sink?.close(), reader?.destroy()]);
    } finally {
      await this.db.destroy();
    }
  }
}
