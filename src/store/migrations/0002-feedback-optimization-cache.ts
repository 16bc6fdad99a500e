import type { Kysely, Migration } from 'kysely';

/**
 * Quality signals, optimizer impact, cache hits and stored recommendations (issues 4 and 5).
 * Request-row additions are columns with defaults, so rows written before this migration read as
 * "no cache hit, no optimization".
 */
async function addFeedbackOptimizationCache(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('requests')
    .addColumn('cache_hit', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('requests')
    .addColumn('cache_saved_usd', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('requests').addColumn('optimization', 'text').execute();

  // One signal per (request, source): a repeated POST replaces the earlier score instead of adding one.
  await db.schema
    .createTable('feedback')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feedback_request_source_uq').ifNotExists().unique().on('feedback').columns(['request_id', 'source']).execute();
  await db.schema.createIndex('feedback_created_at_idx').ifNotExists().on('feedback').column('created_at').execute();

  await db.schema
    .createTable('recommendations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint')
    .execute();
}

export const migration0002FeedbackOptimizationCache: Migration = {
  up: addFeedbackOptimizationCache,
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('recommendations').ifExists().execute();
    await db.schema.dropTable('feedback').ifExists().execute();
    for (const column of ['optimization', 'cache_saved_usd', 'cache_hit']) {
      await db.schema.alterTable('requests').dropColumn(column).execute();
    }
  },
};
