// Runs a suite on the known history (fixture-history.test-support.ts) on every store backend.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../store/schema.ts';
import { TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import { resolveAnalysisQuery, type AnalysisParams, type AnalysisQuery } from './analysis-query.ts';
import { insertHistory, KNOWN_WINDOW, knownHistory } from './fixture-history.test-support.ts';

export interface KnownHistoryContext {
  db(): Kysely<Database>;
  /** The known window, with extra parameters (filters) merged in. */
  query(extra?: Partial<AnalysisParams>): AnalysisQuery;
  /** An empty store, for the "no data" answers. */
  emptyDb(): Kysely<Database>;
}

export function describeOnKnownHistory(title: string, body: (ctx: KnownHistoryContext) => void): void {
  describe.each(TEST_BACKENDS)(`${title} ($name)`, (backend) => {
    let opened: OpenedTestStore;
    let empty: OpenedTestStore;
    beforeAll(async () => {
      [opened, empty] = await Promise.all([backend.open(), backend.open()]);
      const { requests, keys } = knownHistory();
      await insertHistory(opened.store, requests, keys);
    });
    afterAll(async () => {
      await Promise.all([opened?.cleanup(), empty?.cleanup()]);
    });
    body({
      db: () => opened.store.db,
      emptyDb: () => empty.store.db,
      query: (extra = {}) => resolveAnalysisQuery({ ...KNOWN_WINDOW, ...extra }, Date.parse(KNOWN_WINDOW.to)),
    });
  });
}
