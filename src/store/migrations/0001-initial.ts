import type { Kysely, Migration } from 'kysely';

/**
 * Created with IF NOT EXISTS so that a database made by hand or by an interrupted run still migrates.
 * No foreign key from decisions to requests: both are logs written off the request path, and a
 * decision may reach the database in an earlier batch than its request.
 */
async function createInitialSchema(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('requests')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('key_id', 'text')
    .addColumn('team', 'text')
    .addColumn('model_requested', 'text', (c) => c.notNull())
    .addColumn('model_used', 'text')
    .addColumn('provider', 'text')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('error_type', 'text')
    .addColumn('stream', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('ttft_ms', 'double precision')
    .addColumn('upstream_latency_ms', 'double precision')
    .addColumn('overhead_ms', 'double precision', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull())
    .addColumn('cached_input_tokens', 'integer', (c) => c.notNull())
    .addColumn('cache_write_tokens', 'integer', (c) => c.notNull())
    .addColumn('output_tokens', 'integer', (c) => c.notNull())
    .addColumn('reasoning_tokens', 'integer', (c) => c.notNull())
    .addColumn('cost_usd', 'double precision', (c) => c.notNull())
    .addColumn('usage_estimated', 'integer', (c) => c.notNull())
    .addColumn('finish_reason', 'text')
    .addColumn('task_type', 'text')
    .addColumn('decision_id', 'text')
    .addColumn('metadata', 'text')
    .addColumn('prompt_text', 'text')
    .addColumn('response_text', 'text')
    .execute();

  // The analytics queries filter by time window, then group by key, model or task type.
  await db.schema.createIndex('requests_created_at_idx').ifNotExists().on('requests').column('created_at').execute();
  await db.schema.createIndex('requests_key_created_idx').ifNotExists().on('requests').columns(['key_id', 'created_at']).execute();
  await db.schema.createIndex('requests_model_created_idx').ifNotExists().on('requests').columns(['model_used', 'created_at']).execute();
  await db.schema.createIndex('requests_task_created_idx').ifNotExists().on('requests').columns(['task_type', 'created_at']).execute();

  await db.schema
    .createTable('decisions')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('routing_model', 'text', (c) => c.notNull())
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('complexity', 'double precision', (c) => c.notNull())
    .addColumn('goal', 'text', (c) => c.notNull())
    .addColumn('chosen_model', 'text', (c) => c.notNull())
    .addColumn('candidates', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('fallbacks', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('router_version', 'text', (c) => c.notNull())
    .addColumn('decision_us', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decisions_request_id_uq').ifNotExists().unique().on('decisions').column('request_id').execute();
  await db.schema.createIndex('decisions_created_at_idx').ifNotExists().on('decisions').column('created_at').execute();

  await db.schema
    .createTable('api_keys')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('key_prefix', 'text', (c) => c.notNull())
    .addColumn('team', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('budget_daily_usd', 'double precision')
    .addColumn('budget_monthly_usd', 'double precision')
    .addColumn('rpm_limit', 'integer')
    .execute();
  await db.schema.createIndex('api_keys_key_hash_uq').ifNotExists().unique().on('api_keys').column('key_hash').execute();
  await db.schema.createIndex('api_keys_key_prefix_idx').ifNotExists().on('api_keys').column('key_prefix').execute();

  await db.schema
    .createTable('budget_reservations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('reserved_usd', 'double precision', (c) => c.notNull())
    .addColumn('settled_usd', 'double precision')
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('budget_reservations_key_created_idx').ifNotExists().on('budget_reservations').columns(['key_id', 'created_at']).execute();
}

export const migration0001Initial: Migration = {
  up: createInitialSchema,
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['budget_reservations', 'api_keys', 'decisions', 'requests']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
