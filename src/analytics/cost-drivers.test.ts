import { expect, it } from 'vitest';
import { costDrivers } from './cost-drivers.ts';
import { describeOnKnownHistory } from './known-history.test-support.ts';

const TIERS = { 'gpt-4o-mini': 'economy', 'gpt-4o': 'premium' };

describeOnKnownHistory('costDrivers on the known history', (ctx) => {
  it('ranks keys, task types and models by spend', async () => {
    const r = await costDrivers(ctx.db(), ctx.query(), { top: 2 });
    expect(r.total_cost_usd).toBeCloseTo(0.072, 12);
    expect(r.top_keys).toEqual([
      { key_id: 'key_b', requests: 8, cost_usd: 0.06, share: 0.833333 },
      { key_id: 'key_a', requests: 12, cost_usd: 0.012, share: 0.166667 },
    ]);
    expect(r.top_task_types.map((t) => t.task_type)).toEqual(['coding', 'qa']);
    expect(r.top_models.map((m) => [m.model, m.cost_usd])).toEqual([
      ['gpt-4o', 0.06],
      ['gpt-4o-mini', 0.012],
    ]);
  });

  it('measures prompt lengths and the share of spend from long prompts', async () => {
    const r = await costDrivers(ctx.db(), ctx.query());
    // 12 prompts of 1000 tokens and 8 of 6000: the 10th is 1000, the 18th and 20th 6000.
    expect(r.input_tokens).toEqual({ p50: 1000, p90: 6000, p99: 6000, max: 6000 });
    expect(r.long_prompts).toEqual({ threshold_tokens: 4000, requests: 8, share_of_requests: 0.4, cost_usd: 0.06, share_of_cost: 0.833333 });
    const longer = await costDrivers(ctx.db(), ctx.query(), { long_prompt_tokens: 6000 });
    expect(longer.long_prompts.requests).toBe(0);
  });

  it('finds cost spikes against the median non-zero hour ($0.01): 14:00 cost $0.06', async () => {
    const r = await costDrivers(ctx.db(), ctx.query());
    expect(r.cost_spikes).toEqual([{ hour_start: '2026-01-05T14:00:00.000Z', cost_usd: 0.06, requests: 6, times_median: 6 }]);
  });

  it('counts premium-tier spend on low-complexity routed requests when given the catalog', async () => {
    const none = await costDrivers(ctx.db(), ctx.query(), { tier_of: TIERS });
    expect(none.premium_low_complexity).toEqual({ requests: 0, cost_usd: 0, share_of_cost: 0 });
    const r = await costDrivers(ctx.db(), ctx.query(), { tier_of: TIERS, low_complexity_max: 0.8 });
    expect(r.premium_low_complexity).toEqual({ requests: 6, cost_usd: 0.06, share_of_cost: 0.833333 });
    const noCatalog = await costDrivers(ctx.db(), ctx.query());
    expect(noCatalog.premium_low_complexity).toBeNull();
    expect(noCatalog.data_gaps).toContain('no model catalog was given (tier_of): premium-model overuse unavailable');
  });

  it('answers on an empty store with empty lists and null percentiles', async () => {
    const r = await costDrivers(ctx.emptyDb(), ctx.query());
    expect(r).toMatchObject({
      sample_size: 0,
      top_keys: [],
      input_tokens: { p50: null, max: null },
      long_prompts: { requests: 0, share_of_cost: null },
      cost_spikes: [],
    });
    expect(r.data_gaps[0]).toBe('no requests in this window: no cost drivers to find');
  });
});
