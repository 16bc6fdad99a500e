import type { Kysely, Migration } from 'kysely';

/**
 * Alerts (issue 17, src/alerts/): what a restart or a second replica must not forget.
 *
 * - alert_states: one row per alert (rule × subject, e.g. `latency_p95` × `gpt-4o`) with its state
 *   (`firing`, `resolved`, `insufficient` when the data is too thin to judge), the level last notified
 *   and when, so a restarted or other replica never sends the same alert again. Every transition is a
 *   conditional UPDATE on this row: only the replica whose update matched sends.
 * - alert_events: the history (fired, resolved, escalated, test, review, delivery failure) with the
 *   JSON body sent; alert_deliveries: each event × destination with its outcome, attempts and error.
 * - alert_leases: who evaluates the rules now (one replica at a time), until when.
 * - alert_breakers: every replica's circuit breakers that are not closed, with since when, so the
 *   evaluating replica sees breakers of the others (breaker state lives in each process).
 * - review_runs: when each scheduled review last ran.
 */
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_states')
    .ifNotExists()
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('level', 'double precision', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('threshold', 'double precision')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('notified_level', 'double precision')
    .addColumn('last_notified_at', 'bigint')
    .addPrimaryKeyConstraint('alert_states_pk', ['rule_id', 'subject'])
    .execute();
  await db.schema.createIndex('alert_states_state_idx').ifNotExists().on('alert_states').column('state').execute();
  await db.schema
    .createTable('alert_events')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_events_created_idx').ifNotExists().on('alert_events').column('created_at').execute();
  await db.schema
    .createTable('alert_deliveries')
    .ifNotExists()
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('destination_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_deliveries_pk', ['event_id', 'destination_id'])
    .execute();
  await db.schema
    .createTable('alert_leases')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('alert_breakers')
    .ifNotExists()
    .addColumn('replica_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('open_since', 'bigint', (c) => c.notNull())
    .addColumn('reported_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_breakers_pk', ['replica_id', 'model'])
    .execute();
  await db.schema
    .createTable('review_runs')
    .ifNotExists()
    .addColumn('review_id', 'text', (c) => c.primaryKey())
    .addColumn('last_run_at', 'bigint', (c) => c.notNull())
    .addColumn('last_output', 'text')
    .addColumn('last_error', 'text')
    .execute();
}

export const migration0009Alerts: Migration = {
  up,
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['review_runs', 'alert_breakers', 'alert_leases', 'alert_deliveries', 'alert_events', 'alert_states']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
