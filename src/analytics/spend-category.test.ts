import { afterEach, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, makeRequestRow, type OpenedTestStore } from '../store/store-test-support.ts';
import { GATEWAY_SPEND_KEYS } from '../store/types.ts';
import { resolveAnalysisQuery } from './analysis-query.ts';
import { routingCosts, spendCategoryOf } from './routing-costs.ts';

const DAY_MS = Date.parse('2026-03-02T00:00:00Z');
const window = { from: new Date(DAY_MS).toISOString(), to: new Date(DAY_MS + 86_400_000).toISOString() };

describe.each(TEST_BACKENDS)("the judge's spend is its own category ($name)", (backend) => {
  let opened: OpenedTestStore | undefined;
  afterEach(async () => {
    await opened?.cleanup();
  });

  it('lists client and judge spend apart; the groupings describe client traffic only', async () => {
    opened = await backend.open();
    await opened.store.insertRequests([
      makeRequestRow({ created_at: DAY_MS + 3_600_000, model_used: 'gpt-4o', cost_usd: 0.03, task_type: 'qa' }),
      makeRequestRow({ created_at: DAY_MS + 3_600_000, model_used: 'gpt-4o', cost_usd: 0.01, task_type: 'qa' }),
      makeRequestRow({
        created_at: DAY_MS + 7_200_000,
        model_used: 'judge-mini',
        cost_usd: 0.002,
        key_id: GATEWAY_SPEND_KEYS.judge,
        team: null,
        task_type: null,
      }),
      makeRequestRow({
        created_at: DAY_MS + 7_200_000,
        model_used: 'judge-mini',
        cost_usd: 0.008,
        key_id: GATEWAY_SPEND_KEYS.judge,
        team: null,
        task_type: null,
      }),
    ]);
    const r = await routingCosts(opened.store.db, resolveAnalysisQuery(window, DAY_MS + 86_400_000));
    expect(r.total_cost_usd).toBeCloseTo(0.05, 12);
    expect(r.client_cost_usd).toBeCloseTo(0.04, 12);
    expect(r.by_category).toEqual([
      { category: 'client', requests: 2, cost_usd: 0.04, share: 0.8, avg_cost_usd: 0.02 },
      { category: 'judge', requests: 2, cost_usd: 0.01, share: 0.2, avg_cost_usd: 0.005 },
    ]);
    expect(r.by_model).toEqual([{ model: 'gpt-4o', requests: 2, cost_usd: 0.04, share: 1, avg_cost_usd: 0.02 }]);
    expect(r.by_key?.map((k) => k.key_id)).toEqual(['key_a']);
  });
});

describe('spendCategoryOf', () => {
  it('maps the judge key to judge and every other key (or none) to client', () => {
    expect(spendCategoryOf(GATEWAY_SPEND_KEYS.judge)).toBe('judge');
    expect(spendCategoryOf('key_a')).toBe('client');
    expect(spendCategoryOf(null)).toBe('client');
  });
});
