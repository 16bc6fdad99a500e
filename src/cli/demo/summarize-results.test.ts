import { describe, expect, it } from 'vitest';
import type { DemoRequestResult } from './send-demo-request.ts';
import { percentile, summarizeDemoResults } from './summarize-results.ts';

function result(over: Partial<DemoRequestResult>): DemoRequestResult {
  return {
    index: 0,
    promptId: 'qa/x#0',
    taskType: 'qa',
    template: 'x',
    modelRequested: 'auto',
    stream: false,
    status: 200,
    errorType: null,
    requestId: 'r',
    modelUsed: 'mini',
    simulated: true,
    costUsd: 0,
    costSource: 'header',
    latencyMs: 10,
    overheadMs: 1,
    usage: { promptTokens: 1_000, completionTokens: 100, cachedTokens: 0, reasoningTokens: 0 },
    routeRule: 'default',
    ...over,
  };
}

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('summarizeDemoResults', () => {
  const results = [
    result({ index: 0, modelUsed: 'mini', costUsd: 0.1, latencyMs: 10, overheadMs: 1 }),
    result({ index: 1, modelUsed: 'mini', costUsd: 0.2, latencyMs: 30, overheadMs: 2, stream: true, costSource: 'usage', taskType: 'math' }),
    result({ index: 2, modelUsed: 'large', costUsd: 0.3, latencyMs: 20, overheadMs: 3, modelRequested: 'large' }),
    result({ index: 3, modelUsed: 'large', status: 502, errorType: 'upstream_error', costUsd: 0, latencyMs: 999, overheadMs: 4, usage: null }),
    result({ index: 4, modelUsed: null, status: 0, errorType: 'connection_error', latencyMs: 5, overheadMs: null, usage: null, simulated: false }),
  ];
  const baselineModel = { id: 'large', pricing: { input: 2, output: 10 }, capabilities: [], simulated: true };
  const s = summarizeDemoResults(results, { durationMs: 2_000, baselineModel });

  it('counts requests by outcome, status, error and requested model', () => {
    expect(s).toMatchObject({ requests: 5, ok: 3, failed: 2, streamed: 1, costFromUsage: 1, simulated: true, requestsPerSecond: 2.5 });
    expect(s.byStatus).toEqual([
      { status: 0, count: 1 },
      { status: 200, count: 3 },
      { status: 502, count: 1 },
    ]);
    expect(s.byError).toEqual([
      { errorType: 'upstream_error', count: 1 },
      { errorType: 'connection_error', count: 1 },
    ]);
    expect(s.byRequestedModel).toEqual([
      { model: 'auto', count: 4 },
      { model: 'large', count: 1 },
    ]);
  });

  it('sums cost exactly and splits it by model and task type', () => {
    expect(s.totalCostUsd).toBe(0.6);
    expect(s.avgCostUsd).toBeCloseTo(0.12, 12);
    expect(s.modelsUsed).toEqual([
      { model: 'large', requests: 2, share: 0.5, costUsd: 0.3, avgLatencyMs: 509.5 },
      { model: 'mini', requests: 2, share: 0.5, costUsd: 0.3, avgLatencyMs: 20 },
    ]);
    expect(s.byTaskType[0]).toEqual({ taskType: 'qa', requests: 4, costUsd: 0.4, topModel: 'large', topModelShare: 0.5 });
  });

  it('prices the same usage on the most expensive model for the comparison', () => {
    // 3 requests with usage, each 1000 in × $2/M + 100 out × $10/M = $0.003.
    expect(s.baseline?.model).toBe('large');
    expect(s.baseline?.costUsd).toBeCloseTo(0.009, 12);
    expect(s.baseline?.savedShare).toBeCloseTo(1 - 0.6 / 0.009, 9);
  });

  it('labels the run simulated from the answers or from the catalog', () => {
    const real = results.map((r) => ({ ...r, simulated: false }));
    expect(summarizeDemoResults(real, { durationMs: 1 }).simulated).toBe(false);
    expect(summarizeDemoResults(real, { durationMs: 1, fleetSimulated: true }).simulated).toBe(true);
  });

  it('takes latency percentiles over successful requests and overhead over every answer', () => {
    expect(s.latencyMs).toEqual({ p50: 20, p95: 30, p99: 30 });
    expect(s.overheadMs).toEqual({ p50: 2, p95: 4, p99: 4 });
  });
});
