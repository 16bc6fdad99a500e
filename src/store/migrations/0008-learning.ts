import type { Kysely, Migration } from 'kysely';

/**
 * The router learning from the gateway's own outcomes (issue 16, docs/router-learning.md):
 * - `learning_rows`: one per routed request (and model), written at decision time with the prompt's
 *   features — never its text — and scored when a quality signal lands;
 * - `learning_states`: the online learner's fitted states, numbered; every replica loads the newest;
 * - `router_models`: predictors trained from the store, with their evaluation and promotion status;
 * - `decisions.explored`: the decision was made by exploration (analytics can filter it out).
 */
async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('learning_rows')
    .ifNotExists()
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('features', 'text', (c) => c.notNull())
    .addColumn('difficulty', 'double precision', (c) => c.notNull())
    .addColumn('discrimination', 'double precision', (c) => c.notNull())
    .addColumn('predicted', 'double precision', (c) => c.notNull())
    .addColumn('router_version', 'text', (c) => c.notNull())
    .addColumn('technique', 'text')
    .addColumn('explored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score', 'double precision')
    .addColumn('source', 'text')
    .addColumn('scored_at', 'bigint')
    .addPrimaryKeyConstraint('learning_rows_pk', ['request_id', 'model'])
    .execute();
  await db.schema.createIndex('learning_rows_scored_at_idx').ifNotExists().on('learning_rows').column('scored_at').execute();
  await db.schema.createIndex('learning_rows_created_at_idx').ifNotExists().on('learning_rows').column('created_at').execute();

  await db.schema
    .createTable('learning_states')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('base_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('outcomes', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('router_models')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evaluation', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('promoted_at', 'bigint')
    .execute();
  await db.schema.createIndex('router_models_created_at_idx').ifNotExists().on('router_models').column('created_at').execute();

  await db.schema
    .alterTable('decisions')
    .addColumn('explored', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export const migration0008Learning: Migration = {
  up,
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('decisions').dropColumn('explored').execute();
    await db.schema.dropTable('router_models').ifExists().execute();
    await db.schema.dropTable('learning_states').ifExists().execute();
    await db.schema.dropTable('learning_rows').ifExists().execute();
  },
};
