import { expect, it } from 'vitest';
import { KNOWN } from './fixture-history.test-support.ts';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { routingAnalytics } from './routing-analytics.ts';

describeOnKnownHistory('routingAnalytics on the known history', (ctx) => {
  it('counts requests, routed requests, success and failure, cache hits', async () => {
    const r = await routingAnalytics(ctx.db(), ctx.query());
    expect(r.sample_size).toBe(KNOWN.requests);
    expect(r.total_requests).toBe(20);
    expect(r.routed_requests).toBe(KNOWN.routed);
    expect(r.success_rate).toBeCloseTo(KNOWN.successRate, 12);
    expect(r.failure_rate).toBeCloseTo(0.1, 12);
    expect(r.failures).toEqual([{ status: 504, error_type: 'upstream_timeout', requests: 2 }]);
    expect(r.cache_hits).toBe(1);
  });

  it('gives routing latency avg and nearest-rank p50/p95/p99 in ms from decision_us', async () => {
    const r = await routingAnalytics(ctx.db(), ctx.query());
    expect(r.routing_latency_ms.avg).toBeCloseTo(KNOWN.routingLatencyMs.avg, 6);
    expect(r.routing_latency_ms).toMatchObject({ sample_size: 18, p50: KNOWN.routingLatencyMs.p50, p95: 5, p99: 5 });
    // latency_ms: 8×500, 6×1500, 2×30000, 2×800, 2×600 → p50 is the 10th of 20 = 600, p95 the 19th = 30000.
    expect(r.request_latency_ms).toMatchObject({ sample_size: 20, p50: 600, p95: 30_000, p99: 30_000 });
    expect(r.request_latency_ms.avg).toBeCloseTo((4000 + 9000 + 60_000 + 1600 + 1200) / 20, 6);
  });

  it('gives the model distribution, most used first', async () => {
    const r = await routingAnalytics(ctx.db(), ctx.query());
    expect(r.model_distribution).toEqual([
      { model: 'gpt-4o-mini', requests: 12, share: 0.6 },
      { model: 'gpt-4o', requests: 8, share: 0.4 },
    ]);
  });

  it('applies task type, key and model filters', async () => {
    const coding = await routingAnalytics(ctx.db(), ctx.query({ task_types: ['coding'] }));
    expect(coding.total_requests).toBe(8);
    expect(coding.success_rate).toBeCloseTo(0.75, 12);
    const keyA = await routingAnalytics(ctx.db(), ctx.query({ keys: ['key_a'], models: ['gpt-4o-mini'] }));
    expect(keyA.total_requests).toBe(12);
    expect(keyA.routing_latency_ms.p50).toBe(0.12); // 90 95 100 … 170: 10 values, the 5th is 120 µs
  });

  it('on an empty store returns zeros and says what is missing instead of throwing', async () => {
    const r = await routingAnalytics(ctx.emptyDb(), ctx.query());
    expect(r).toMatchObject({ sample_size: 0, total_requests: 0, success_rate: null, model_distribution: [], routing_latency_ms: { avg: null, p50: null } });
    expect(r.data_gaps[0]).toMatch(/no requests in this window/);
  });
});
