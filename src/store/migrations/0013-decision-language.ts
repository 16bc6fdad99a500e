import type { Kysely, Migration } from 'kysely';

/**
 * The prompt's detected language on each routing decision (ISO 639-1, `und` when the text has no
 * letters to tell): some models answer well only in English, so reviews of routing split by it.
 * Nullable: decisions logged before this migration have no language.
 */
export const migration0013DecisionLanguage: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('decisions').addColumn('language', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('decisions').dropColumn('language').execute();
  },
};
