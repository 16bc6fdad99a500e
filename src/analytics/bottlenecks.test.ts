import { expect, it } from 'vitest';
import { bottlenecks, BottlenecksOptions, errorMinutes } from './bottlenecks.ts';
import { describeOnKnownHistory } from './known-history.test-support.ts';

describeOnKnownHistory('bottlenecks on the known history', (ctx) => {
  it('finds decisions slower than the threshold, slowest first', async () => {
    const r = await bottlenecks(ctx.db(), ctx.query());
    expect(r.slow_decisions).toMatchObject({ threshold_ms: 1, routed_requests: 18, count: 1, share: 0.0555556 });
    expect(r.slow_decisions.slowest.map((s) => [s.created_at, s.task_type, s.decision_ms])).toEqual([['2026-01-05T15:00:30.000Z', 'coding', 5]]);
    const stricter = await bottlenecks(ctx.db(), ctx.query(), { slow_decision_ms: 0.2, limit: 2 });
    expect(stricter.slow_decisions.count).toBe(7); // 210 220 230 240 250 300 5000 µs
    expect(stricter.slow_decisions.slowest.map((s) => s.decision_ms)).toEqual([5, 0.3]);
  });

  it('counts slow decisions the same through the decision index and, with key or model filters, the join', async () => {
    const byTask = await bottlenecks(ctx.db(), ctx.query({ task_types: ['coding'] }), { slow_decision_ms: 0.2 });
    expect(byTask.slow_decisions).toMatchObject({ routed_requests: 8, count: 7 });
    const byKey = await bottlenecks(ctx.db(), ctx.query({ keys: ['key_b'] }), { slow_decision_ms: 0.2 });
    expect(byKey.slow_decisions).toMatchObject({ routed_requests: 8, count: 7 });
    const byModel = await bottlenecks(ctx.db(), ctx.query({ models: ['gpt-4o-mini'] }), { slow_decision_ms: 0.2 });
    expect(byModel.slow_decisions).toMatchObject({ routed_requests: 10, count: 0 });
  });

  it('flags a model-hour far above the model median: gpt-4o at 15:00 averages 30 s against a 1.5 s median', async () => {
    const r = await bottlenecks(ctx.db(), ctx.query());
    expect(r.latency_spikes).toEqual([
      { model: 'gpt-4o', hour_start: '2026-01-05T15:00:00.000Z', requests: 2, avg_latency_ms: 30_000, model_median_latency_ms: 1500, ratio: 20 },
    ]);
  });

  it('counts the candidate minutes the same by per-minute lookups and by one scan of every minute', async () => {
    const o = BottlenecksOptions.parse({ burst_min_requests: 2 });
    const byLookup = await errorMinutes(ctx.db(), ctx.query(), o);
    expect(byLookup.map((m) => [m.b, m.requests, m.errors])).toEqual([[Date.parse('2026-01-05T15:00:00.000Z'), 2, 2]]);
    expect(await errorMinutes(ctx.db(), ctx.query(), o, 0)).toEqual(byLookup);
  });

  it('finds minutes with an error burst once enough requests fall in them', async () => {
    expect((await bottlenecks(ctx.db(), ctx.query())).error_bursts).toEqual([]);
    const r = await bottlenecks(ctx.db(), ctx.query(), { burst_min_requests: '2' as unknown as number });
    expect(r.error_bursts).toEqual([
      { minute_start: '2026-01-05T15:00:00.000Z', requests: 2, errors: 2, error_rate: 1, error_types: [{ error_type: 'upstream_timeout', requests: 2 }] },
    ]);
  });

  it('reports what it cannot see and rejects bad options', async () => {
    const empty = await bottlenecks(ctx.emptyDb(), ctx.query());
    expect(empty).toMatchObject({ sample_size: 0, latency_spikes: [], error_bursts: [], slow_decisions: { count: 0, share: null } });
    expect(empty.data_gaps[0]).toBe('no requests in this window: no bottlenecks to find');
    await expect(bottlenecks(ctx.db(), ctx.query(), { error_rate_threshold: 2 })).rejects.toThrow(/error_rate_threshold|2/);
  });
});
