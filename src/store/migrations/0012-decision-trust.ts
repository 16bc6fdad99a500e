import type { Kysely, Migration } from 'kysely';

/**
 * The router's trust in a decision's per-prompt predictions (0–1; issue 18): low trust means the prompt
 * was unlike the predictor's training prompts and the decision leaned on task-level quality. Nullable:
 * decisions logged before this migration, or by a predictor without a trust value, have none.
 */
export const migration0012DecisionTrust: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('decisions').addColumn('trust', 'double precision').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('decisions').dropColumn('trust').execute();
  },
};
