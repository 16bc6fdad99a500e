import { expect, it } from 'vitest';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { requestPatterns } from './request-patterns.ts';

describeOnKnownHistory('requestPatterns on the known history', (ctx) => {
  it('gives the task type mix and the complexity distribution of routed requests', async () => {
    const r = await requestPatterns(ctx.db(), ctx.query());
    expect(r.sample_size).toBe(20);
    expect(r.task_type_mix).toEqual([
      { task_type: 'qa', requests: 10, share: 0.5 },
      { task_type: 'coding', requests: 8, share: 0.4 },
      { task_type: 'summarization', requests: 2, share: 0.1 },
    ]);
    expect(r.complexity_distribution.map((b) => [b.bucket, b.requests])).toEqual([
      ['0.0–0.2', 8],
      ['0.2–0.4', 2],
      ['0.4–0.6', 0],
      ['0.6–0.8', 6],
      ['0.8–1.0', 2],
    ]);
    expect(r.complexity_sample_size).toBe(18);
    expect(r.avg_complexity).toBeCloseTo((8 * 0.1 + 2 * 0.3 + 6 * 0.7 + 2 * 0.9) / 18, 6);
  });

  it('finds peak hours (UTC) and days', async () => {
    const r = await requestPatterns(ctx.db(), ctx.query());
    expect(r.peak_hours).toEqual([
      { hour: '09:00 UTC', requests: 10 },
      { hour: '14:00 UTC', requests: 6 },
      { hour: '15:00 UTC', requests: 2 },
    ]);
    expect(r.peak_hour).toBe('09:00 UTC');
    expect(r.by_hour[20]).toEqual({ hour: 20, requests: 2 });
    expect(r.peak_day).toBe('Mon');
    expect(r.by_day.find((d) => d.day === 'Mon')?.requests).toBe(20);
    expect(r.by_day.find((d) => d.day === 'Sun')?.requests).toBe(0);
  });

  it('compares with the same-length previous window (Sunday: 10 qa requests, $0.01)', async () => {
    const r = await requestPatterns(ctx.db(), ctx.query());
    expect(r.period_over_period).toMatchObject({
      previous_from: '2026-01-04T00:00:00.000Z',
      previous_to: '2026-01-05T00:00:00.000Z',
      requests: 20,
      previous_requests: 10,
      requests_change_pct: 100,
      cost_usd: 0.072,
      previous_cost_usd: 0.01,
      cost_change_pct: 620,
    });
    expect(r.period_over_period.by_task_type).toEqual([
      { task_type: 'qa', requests: 10, previous_requests: 10, change_pct: 0 },
      { task_type: 'coding', requests: 8, previous_requests: 0, change_pct: null },
      { task_type: 'summarization', requests: 2, previous_requests: 0, change_pct: null },
    ]);
    expect(r.data_gaps).toEqual(['window shorter than 7 days: weekday pattern covers only part of a week']);
  });

  it('says what is missing when nothing was routed or nothing came before', async () => {
    const direct = await requestPatterns(ctx.db(), ctx.query({ task_types: ['summarization'] }));
    expect(direct.complexity_sample_size).toBe(0);
    expect(direct.avg_complexity).toBeNull();
    expect(direct.data_gaps).toContain(
      'no routed requests in this window: complexity distribution unavailable (complexity is recorded with routing decisions)',
    );
    expect(direct.data_gaps).toContain('no requests in the previous period of the same length: period-over-period change unavailable');
    const empty = await requestPatterns(ctx.emptyDb(), ctx.query());
    expect(empty).toMatchObject({ sample_size: 0, peak_hour: null, peak_day: null, task_type_mix: [] });
  });
});
