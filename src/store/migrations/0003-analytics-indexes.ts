import type { Kysely, Migration } from 'kysely';

/**
 * Covering indexes for the analytics joins (issue 5, `npm run bench:analytics`). Over a month of a
 * million requests the analyses spent most of their time joining decisions and feedback to their
 * request rows: one B-tree probe per request of the window, each reading a wide row (a decision row
 * carries its candidates' JSON). With these, a join walks decisions or feedback through an index in
 * request-id order and probes the requests' id index in that same order, never touching a table row:
 *
 * - requests (id, created_at, task_type, key_id, model_used, cost_usd): the window and its filters,
 *   looked up by id;
 * - decisions (request_id, decision_us, complexity, task_type): what the analyses read of a decision;
 * - feedback (request_id, source, score): every quality signal, by request.
 *
 * Plain multi-column B-tree indexes, the same on SQLite and PostgreSQL (both use them index-only).
 */
async function addAnalyticsIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('requests_id_window_idx')
    .ifNotExists()
    .on('requests')
    .columns(['id', 'created_at', 'task_type', 'key_id', 'model_used', 'cost_usd'])
    .execute();
  await db.schema
    .createIndex('decisions_request_cover_idx')
    .ifNotExists()
    .on('decisions')
    .columns(['request_id', 'decision_us', 'complexity', 'task_type'])
    .execute();
  await db.schema.createIndex('feedback_request_cover_idx').ifNotExists().on('feedback').columns(['request_id', 'source', 'score']).execute();
}

export const migration0003AnalyticsIndexes: Migration = {
  up: addAnalyticsIndexes,
  async down(db: Kysely<unknown>): Promise<void> {
    for (const index of ['feedback_request_cover_idx', 'decisions_request_cover_idx', 'requests_id_window_idx']) {
      await db.schema.dropIndex(index).ifExists().execute();
    }
  },
};
