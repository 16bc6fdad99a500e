import type { Kysely } from 'kysely';
import type { Database, LearningRowTable } from './schema.ts';
import type { LearningRowRecord, LearningStateRecord, RouterModelRecord } from './types.ts';

/** Rows per INSERT: 15 columns stays well under SQLite's 32,766 and pg's 65,535 bound parameters. */
const INSERT_CHUNK = 500;

/** Sources written by the gateway itself; a person's signal is never replaced by one of these. */
const GATEWAY_SOURCES = ['judge', 'completion', 'shadow'];

/** How far the clocks of replicas sharing a store may differ: a signal stored this much before its request began still counts. */
const CLOCK_SKEW_MS = 300_000;

function toTable(row: LearningRowRecord): LearningRowTable {
  return { ...row, explored: row.explored ? 1 : 0 };
}

function fromTable(row: LearningRowTable): LearningRowRecord {
  return {
    ...row,
    created_at: Number(row.created_at),
    explored: Number(row.explored) === 1,
    scored_at: row.scored_at === null ? null : Number(row.scored_at),
  };
}

export interface OutcomeCount {
  model: string;
  task_type: string;
  outcomes: number;
  mean_score: number;
  explored: number;
}

/**
 * SQL of the router's learning loop (migration 0008), on the store's main connection. Same kysely code for
 * SQLite and PostgreSQL.
 */
export class LearningStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** Inserts rows elsewhere than `db` (the SQLite write thread), with the same on-conflict rule. */
    private readonly insertThrough?: (rows: readonly LearningRowRecord[]) => Promise<void>,
  ) {}

  /** Decision-time rows; a row already there (a retried flush) is kept. */
  async insertRows(rows: readonly LearningRowRecord[]): Promise<void> {
    if (this.insertThrough) return this.insertThrough(rows);
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('learning_rows')
        .values(rows.slice(i, i + INSERT_CHUNK).map(toTable))
        .onConflict((oc) => oc.columns(['request_id', 'model']).doNothing())
        .execute();
    }
  }

  /**
   * Scores a request's row(s) with a quality signal. A person's signal replaces a gateway's (judge,
   * completion), never the other way round. Returns how many rows were scored (0: no learning row).
   */
  async scoreRequest(requestId: string, score: number, source: string, atMs: number, model?: string): Promise<number> {
    let q = this.db.updateTable('learning_rows').set({ score, source, scored_at: atMs }).where('request_id', '=', requestId);
    if (model !== undefined) q = q.where('model', '=', model);
    if (GATEWAY_SOURCES.includes(source)) {
      q = q.where((eb) => eb.or([eb('source', 'is', null), eb('source', '=', source), eb('source', 'in', GATEWAY_SOURCES)]));
    }
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Signals stored before their learning row was written (the row is buffered for up to a second) are
   * applied now: gateway signals first, so a person's signal ends up on top.
   */
  async applyEarlierSignals(requestIds: readonly string[], earliestCreatedAtMs = Number.NEGATIVE_INFINITY): Promise<void> {
    // A signal comes after its request began. One indexed max() first: when no feedback was stored since
    // the rows' requests began (less the replicas' clock skew), the IN-lists below have nothing to find.
    if (requestIds.length === 0 || (await this.newestFeedbackAtMs()) < earliestCreatedAtMs - CLOCK_SKEW_MS) return;
    for (let i = 0; i < requestIds.length; i += INSERT_CHUNK) {
      const signals = await this.db
        .selectFrom('feedback')
        .select(['request_id', 'score', 'source', 'created_at'])
        .where('request_id', 'in', requestIds.slice(i, i + INSERT_CHUNK))
        .execute();
      signals.sort(
        (a, b) => Number(GATEWAY_SOURCES.includes(b.source)) - Number(GATEWAY_SOURCES.includes(a.source)) || Number(a.created_at) - Number(b.created_at),
      );
      for (const f of signals) await this.scoreRequest(f.request_id, f.score, f.source, Number(f.created_at));
    }
  }

  /** When the newest feedback row was stored (-Infinity: none). */
  private async newestFeedbackAtMs(): Promise<number> {
    const row = await this.db
      .selectFrom('feedback')
      .select((eb) => eb.fn.max('created_at').as('last'))
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? Number.NEGATIVE_INFINITY : Number(row.last);
  }

  /** The newest `limit` scored rows scored at or after `sinceMs`, oldest first. */
  async scoredRows(sinceMs: number, limit: number): Promise<LearningRowRecord[]> {
    const rows = await this.db
      .selectFrom('learning_rows')
      .selectAll()
      .where('scored_at', 'is not', null)
      .where('scored_at', '>=', sinceMs)
      .orderBy('scored_at', 'desc')
      .orderBy('request_id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(fromTable);
  }

  /** Scored plain-model outcomes (no technique) scored after `afterMs`, and the newest scoring time. */
  async countScored(afterMs = -1): Promise<{ outcomes: number; lastScoredAtMs: number }> {
    const row = await this.db
      .selectFrom('learning_rows')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('scored_at').as('last')])
      .where('scored_at', 'is not', null)
      .where('scored_at', '>', afterMs)
      .where('technique', 'is', null)
      .executeTakeFirstOrThrow();
    return { outcomes: Number(row.n), lastScoredAtMs: row.last === null ? 0 : Number(row.last) };
  }

  /** Outcomes per model and task type (plain answers, not techniques): what `aigw router status` prints. */
  async outcomeCounts(sinceMs = 0): Promise<OutcomeCount[]> {
    const rows = await this.db
      .selectFrom('learning_rows')
      .select((eb) => [
        'model',
        'task_type',
        eb.fn.countAll<number | string>().as('outcomes'),
        eb.fn.avg<number | string>('score').as('mean_score'),
        eb.fn.sum<number | string>('explored').as('explored'),
      ])
      .where('scored_at', 'is not', null)
      .where('scored_at', '>=', sinceMs)
      .where('technique', 'is', null)
      .groupBy(['model', 'task_type'])
      .orderBy('model')
      .orderBy('task_type')
      .execute();
    return rows.map((r) => ({
      model: r.model,
      task_type: r.task_type,
      outcomes: Number(r.outcomes),
      mean_score: Number(r.mean_score),
      explored: Number(r.explored),
    }));
  }

  /** Retention: deletes rows created before `beforeMs`. */
  async deleteRowsBefore(beforeMs: number): Promise<number> {
    const result = await this.db.deleteFrom('learning_rows').where('created_at', '<', beforeMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Stores a fitted state under its id. Returns false when another replica stored that id first: the
   * caller then adopts the stored one, so all replicas serve the same numbered state.
   */
  async insertState(row: LearningStateRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('learning_states')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async latestState(): Promise<LearningStateRecord | undefined> {
    const row = await this.db.selectFrom('learning_states').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? { ...row, id: Number(row.id), created_at: Number(row.created_at), outcomes: Number(row.outcomes) } : undefined;
  }

  /** Keeps the newest `keep` states (older ones are history nobody loads). */
  async pruneStates(keep: number): Promise<void> {
    const newest = await this.latestState();
    if (newest)
      await this.db
        .deleteFrom('learning_states')
        .where('id', '<=', newest.id - keep)
        .execute();
  }

  async insertRouterModel(row: RouterModelRecord): Promise<void> {
    await this.db.insertInto('router_models').values(row).execute();
  }

  /** Makes one model live and retires the previous live one, in one transaction. */
  async promoteRouterModel(id: string, atMs: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('router_models').set({ status: 'retired' }).where('status', '=', 'live').execute();
      await trx.updateTable('router_models').set({ status: 'live', promoted_at: atMs }).where('id', '=', id).execute();
    });
  }

  async liveRouterModel(): Promise<RouterModelRecord | undefined> {
    const row = await this.db.selectFrom('router_models').selectAll().where('status', '=', 'live').orderBy('promoted_at', 'desc').limit(1).executeTakeFirst();
    return row ? normalizeModel(row) : undefined;
  }

  /** The live router model's version alone (cheap enough to poll: the file is megabytes). */
  async liveRouterModelVersion(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('router_models')
      .select('version')
      .where('status', '=', 'live')
      .orderBy('promoted_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.version;
  }

  /** When the newest router model (candidate or live) was trained, or null when none was. */
  async lastRouterModelAtMs(): Promise<number | null> {
    const row = await this.db.selectFrom('router_models').select('created_at').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    return row ? Number(row.created_at) : null;
  }

  /** The newest evaluations, without the model files (they are megabytes). */
  async recentRouterModels(limit: number): Promise<Array<Omit<RouterModelRecord, 'file'>>> {
    const rows = await this.db
      .selectFrom('router_models')
      .select(['id', 'created_at', 'version', 'status', 'reason', 'evaluation', 'promoted_at'])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      ...r,
      created_at: Number(r.created_at),
      promoted_at: r.promoted_at === null ? null : Number(r.promoted_at),
      status: r.status,
    }));
  }
}

function normalizeModel(row: RouterModelRecord): RouterModelRecord {
  return { ...row, created_at: Number(row.created_at), promoted_at: row.promoted_at === null ? null : Number(row.promoted_at) };
}
