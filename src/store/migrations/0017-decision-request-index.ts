import type { Kysely, Migration } from 'kysely';

/**
 * Drops `decisions_request_id_uq` (unique on request_id, migration 0001): every lookup of a decision by
 * its request (`getDecisionByRequest`, the request-log detail, the analytics joins) is served by
 * `decisions_request_cover_idx` (request_id, decision_us, complexity, task_type; migration 0003), whose
 * leading column is the same, so the unique index only cost a B-tree insert per routed request on the
 * write path. What goes: the store no longer refuses a second decision row for one request id. The
 * gateway never writes one (one decision per request, a retried or replayed batch repeats the
 * decision's own id, which the primary key turns away).
 */
export const migration0017DecisionRequestIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('decisions_request_id_uq').ifExists().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('decisions_request_id_uq').ifNotExists().unique().on('decisions').column('request_id').execute();
  },
};
