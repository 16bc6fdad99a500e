import { describe, expect, it } from 'vitest';
import { TEST_BACKENDS } from '../../store/store-test-support.ts';
import { insertHistory, KNOWN_WINDOW, knownHistory } from '../fixture-history.test-support.ts';
import { ROLLUP_SETTLE_MS, rollupThroughMs } from './refresh-rollups.ts';
import { RollupRefresher } from './rollup-refresher.ts';

describe('RollupRefresher', () => {
  it('rolls up on start and shares concurrent refreshes', async () => {
    const opened = await TEST_BACKENDS[0]!.open();
    try {
      const { requests, keys } = knownHistory();
      await insertHistory(opened.store, requests, keys);
      const nowMs = Date.parse(KNOWN_WINDOW.to) + ROLLUP_SETTLE_MS;
      const refresher = new RollupRefresher(opened.store.db, { now: () => nowMs });
      expect(refresher.refresh()).toBe(refresher.refresh());
      await refresher.refresh();
      expect(await rollupThroughMs(opened.store.db)).toBe(Date.parse(KNOWN_WINDOW.to));
      await refresher.stop();
    } finally {
      await opened.cleanup();
    }
  });
});
