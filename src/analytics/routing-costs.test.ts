import { expect, it } from 'vitest';
import { AnalysisParamsError } from './analysis-query.ts';
import { KNOWN } from './fixture-history.test-support.ts';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { routingCosts } from './routing-costs.ts';

const TIERS = { 'gpt-4o-mini': 'economy', 'gpt-4o': 'premium' };

describeOnKnownHistory('routingCosts on the known history', (ctx) => {
  it('totals spend and keeps cache savings apart from it', async () => {
    const r = await routingCosts(ctx.db(), ctx.query(), { tier_of: TIERS });
    expect(r.sample_size).toBe(20);
    expect(r.total_cost_usd).toBeCloseTo(KNOWN.totalCostUsd, 12);
    expect(r.avg_cost_per_request_usd).toBeCloseTo(0.0036, 12);
    expect(r.cache_saved_usd).toBeCloseTo(0.002, 12);
    expect(r.cache_hits).toBe(1);
  });

  it('groups by model, task type, key and tier, largest spend first, shares of the total', async () => {
    const r = await routingCosts(ctx.db(), ctx.query(), { tier_of: TIERS });
    expect(r.by_model).toEqual([
      { model: 'gpt-4o', requests: 8, cost_usd: 0.06, share: 0.833333, avg_cost_usd: 0.0075 },
      { model: 'gpt-4o-mini', requests: 12, cost_usd: 0.012, share: 0.166667, avg_cost_usd: 0.001 },
    ]);
    expect(r.by_task_type?.map((g) => [g.task_type, g.requests, g.cost_usd])).toEqual([
      ['coding', 8, 0.06],
      ['qa', 10, 0.01],
      ['summarization', 2, 0.002],
    ]);
    expect(r.by_key?.map((g) => [g.key_id, g.cost_usd])).toEqual([
      ['key_b', 0.06],
      ['key_a', 0.012],
    ]);
    expect(r.by_tier?.map((g) => [g.tier, g.requests, g.cost_usd])).toEqual([
      ['premium', 8, 0.06],
      ['economy', 12, 0.012],
    ]);
  });

  it('computes only the requested groupings and rejects unknown ones', async () => {
    const r = await routingCosts(ctx.db(), ctx.query(), { group_by: ['model', 'task_type'] });
    expect(r.by_model).toHaveLength(2);
    expect(r.by_task_type).toHaveLength(3);
    expect(r.by_key).toBeUndefined();
    expect(r.by_tier).toBeUndefined();
    await expect(routingCosts(ctx.db(), ctx.query(), { group_by: ['colour'] })).rejects.toThrow(AnalysisParamsError);
    const noCatalog = await routingCosts(ctx.db(), ctx.query(), { group_by: ['tier'] });
    expect(noCatalog.data_gaps).toContain('no model catalog was given (tier_of): cost per model tier unavailable');
  });

  it('measures budget use in the period that holds the window end: key_a $0.012 of $0.05 daily, key_b $0.06 of $1 monthly', async () => {
    const r = await routingCosts(ctx.db(), ctx.query());
    expect(r.budgets.map((b) => [b.key_id, b.period, b.period_start, b.budget_usd, b.spent_usd, b.utilization])).toEqual([
      ['key_a', 'daily', '2026-01-05T00:00:00.000Z', 0.05, 0.012, 0.24],
      ['key_b', 'monthly', '2026-01-01T00:00:00.000Z', 1, 0.06, 0.06],
    ]);
    expect(r.budget_utilization).toBe(0.24);
  });

  it('gives the hourly trend with % change per bucket and second half against first half', async () => {
    const r = await routingCosts(ctx.db(), ctx.query());
    expect(r.trend_bucket).toBe('hour');
    expect(r.trend).toHaveLength(24);
    const nonEmpty = r.trend.filter((p) => p.requests > 0).map((p) => [p.bucket_start.slice(11, 16), p.requests, p.cost_usd]);
    expect(nonEmpty).toEqual([
      ['09:00', 10, 0.01],
      ['14:00', 6, 0.06],
      ['15:00', 2, 0],
      ['20:00', 2, 0.002],
    ]);
    expect(r.trend[14]?.change_pct).toBeNull(); // after an empty hour there is nothing to compare with
    expect(r.trend[9]?.change_pct).toBeNull();
    // First half (00–12) $0.01, second half $0.062.
    expect(r.trend_change_pct).toBeCloseTo(520, 6);
    const daily = await routingCosts(ctx.db(), ctx.query({ from: '2026-01-04T00:00:00Z', to: '2026-01-06T00:00:00Z' }), { bucket: 'day' });
    expect(daily.trend.map((p) => [p.bucket_start.slice(0, 10), p.requests, p.cost_usd, p.change_pct])).toEqual([
      ['2026-01-04', 10, 0.01, null],
      ['2026-01-05', 20, 0.072, 620],
    ]);
  });

  it('gives a one-hour window minute buckets (an hourly line over an hour is two points)', async () => {
    // 09:00–10:00: A0–A7 at 09:00–09:07 and D0–D1 at 09:20–09:21, $0.001 each.
    const r = await routingCosts(ctx.db(), ctx.query({ from: '2026-01-05T09:00:00Z', to: '2026-01-05T10:00:00Z' }));
    expect(r.trend_bucket).toBe('minute');
    expect(r.trend).toHaveLength(60);
    const nonEmpty = r.trend.filter((p) => p.requests > 0).map((p) => p.bucket_start.slice(11, 16));
    expect(nonEmpty).toEqual(['09:00', '09:01', '09:02', '09:03', '09:04', '09:05', '09:06', '09:07', '09:20', '09:21']);
    expect(r.trend[0]).toMatchObject({ requests: 1, cost_usd: 0.001, change_pct: null });
    expect(r.trend[1]?.change_pct).toBe(0);
    // Halves 09:00–09:30 and 09:30–10:00: all $0.01 in the first, so the second is −100%.
    expect(r.trend_change_pct).toBe(-100);
    expect(r.total_cost_usd).toBeCloseTo(0.01, 12);
  });

  it('on an empty store reports zero spend and the missing budgets without throwing', async () => {
    const r = await routingCosts(ctx.emptyDb(), ctx.query());
    expect(r).toMatchObject({ sample_size: 0, total_cost_usd: 0, avg_cost_per_request_usd: null, budget_utilization: null, trend_change_pct: null });
    expect(r.data_gaps).toEqual([
      'no requests in this window: no spend to analyse',
      'no API key has a daily or monthly budget: budget utilization unavailable',
      'no model catalog was given (tier_of): cost per model tier unavailable',
    ]);
  });
});
