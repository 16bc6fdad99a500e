import type { Kysely, Migration } from 'kysely';

const WINDOW_COLUMNS = ['id', 'created_at', 'task_type', 'key_id', 'model_used', 'cost_usd'];

/**
 * requests_id_window_idx (migration 0003) widened by the two columns that decide whether a request failed
 * as a task (status, finish_reason). The quality cells walk the feedback and look up each rated request
 * by id; with these columns in the index the lookup never reads the table row. On a month of a million
 * requests whose pages the OS had dropped, that walk read ~100,000 scattered rows: 4.0 s, against 0.9 s
 * with a warm cache — most of a cold report. The wider index serves every use of the old one (same
 * leading columns), so it replaces it instead of adding a write.
 */
export const migration0006RequestOutcomeIndex: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('requests_id_outcome_idx')
      .ifNotExists()
      .on('requests')
      .columns([...WINDOW_COLUMNS, 'status', 'finish_reason'])
      .execute();
    await db.schema.dropIndex('requests_id_window_idx').ifExists().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('requests_id_window_idx').ifNotExists().on('requests').columns(WINDOW_COLUMNS).execute();
    await db.schema.dropIndex('requests_id_outcome_idx').ifExists().execute();
  },
};
