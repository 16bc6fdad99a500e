import { afterAll, describe, expect, it } from 'vitest';
import { makeRequestRow, TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import { sumCacheSavings } from './cache-savings.ts';

const opened: OpenedTestStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((o) => o.cleanup()));
});

const T0 = 1_767_225_600_000;

describe.each(TEST_BACKENDS)('cache savings on $name', ({ open }) => {
  it('sums cache_saved_usd and the tokens of hit rows in the window, apart from spend', async () => {
    const o = await open();
    opened.push(o);
    const hit = { cache_hit: true, cost_usd: 0, input_tokens: 100, output_tokens: 40 };
    await o.store.insertRequests([
      makeRequestRow({ ...hit, created_at: T0 + 10, cache_saved_usd: 0.0025 }),
      makeRequestRow({ ...hit, created_at: T0 + 20, cache_saved_usd: 0.0005, team: 'other', key_id: 'key_b' }),
      makeRequestRow({ ...hit, created_at: T0 + 5_000, cache_saved_usd: 0.5 }), // outside the window
      makeRequestRow({ created_at: T0 + 30, cost_usd: 0.01 }), // a paid request: not a saving
    ]);
    const all = await sumCacheSavings(o.store.db, { fromMs: T0, toMs: T0 + 1_000 });
    expect(all.hits).toBe(2);
    expect(all.savedUsd).toBeCloseTo(0.003, 12);
    expect(all.inputTokens).toBe(200);
    expect(all.outputTokens).toBe(80);
    const team = await sumCacheSavings(o.store.db, { fromMs: T0, toMs: T0 + 1_000, team: 'other' });
    expect(team).toEqual({ hits: 1, savedUsd: 0.0005, inputTokens: 100, outputTokens: 40 });
    const none = await sumCacheSavings(o.store.db, { fromMs: T0 + 10_000, toMs: T0 + 20_000 });
    expect(none).toEqual({ hits: 0, savedUsd: 0, inputTokens: 0, outputTokens: 0 });
  });
});
