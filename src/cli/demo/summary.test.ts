import { describe, expect, it } from 'vitest';
import type { DemoSummary } from './summarize-results.ts';
import { formatDemoSummary, formatUsd } from './summary.ts';

const SUMMARY: DemoSummary = {
  requests: 300,
  ok: 297,
  failed: 3,
  streamed: 80,
  byStatus: [
    { status: 200, count: 297 },
    { status: 429, count: 1 },
    { status: 503, count: 2 },
  ],
  byError: [
    { errorType: 'no_healthy_upstream', count: 2 },
    { errorType: 'rate_limited', count: 1 },
  ],
  byRequestedModel: [
    { model: 'auto', count: 150 },
    { model: 'auto-cost', count: 150 },
  ],
  modelsUsed: [
    { model: 'sim-mini', requests: 200, share: 200 / 299, costUsd: 0.0136, avgLatencyMs: 99.4 },
    { model: 'sim-large', requests: 99, share: 99 / 299, costUsd: 0.3846, avgLatencyMs: 400 },
  ],
  byTaskType: [{ taskType: 'qa', requests: 300, costUsd: 0.3982, topModel: 'sim-mini', topModelShare: 0.66 }],
  totalCostUsd: 0.3982,
  avgCostUsd: 0.3982 / 300,
  costFromUsage: 80,
  baseline: { model: 'sim-reasoner', costUsd: 8.9, savedShare: 1 - 0.3982 / 8.9 },
  latencyMs: { p50: 133, p95: 2_449, p99: 3_029 },
  overheadMs: { p50: 0.87, p95: 5, p99: 13.6 },
  simulated: true,
  durationMs: 21_200,
  requestsPerSecond: 14.15,
};

describe('formatDemoSummary', () => {
  const text = formatDemoSummary(SUMMARY, {
    gatewayUrl: 'http://127.0.0.1:4000',
    startedGateway: true,
    storeDescription: 'sqlite data/aigw.db',
    concurrency: 8,
  });

  it('labels a simulated run and says where the rows went', () => {
    expect(text.split('\n')[0]).toMatch(/SIMULATED fleet/);
    expect(text).toContain('http://127.0.0.1:4000 (started by the demo) · store sqlite data/aigw.db');
  });

  it('prints counts, statuses, models, cost against the most expensive model, latency and overhead', () => {
    expect(text).toContain('Requests  300 in 21.2 s (14.2 req/s, concurrency 8), 80 streamed');
    expect(text).toContain('297 ok · 3 failed   [200 ×297, 429 ×1, 503 ×2]');
    expect(text).toContain('no_healthy_upstream ×2, rate_limited ×1');
    expect(text).toMatch(/sim-mini\s+200\s+66\.9%\s+\$0\.0136\s+99\.4 ms/);
    expect(text).toContain('total $0.3982 · average $0.00133 per request');
    expect(text).toContain('all on sim-reasoner (most expensive) would have cost ≈ $8.90: 95.5% saved');
    expect(text).toContain('p50 133 ms · p95 2449 ms · p99 3029 ms');
    expect(text).toContain('Overhead  p50 0.87 ms · p99 13.6 ms');
  });

  it('does not claim simulation for real providers', () => {
    expect(formatDemoSummary({ ...SUMMARY, simulated: false }, { gatewayUrl: 'u', startedGateway: false, concurrency: 1 })).not.toMatch(/SIMULATED/);
  });
});

describe('formatUsd', () => {
  it('keeps small amounts readable', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(0.000123456)).toBe('$0.000123');
  });
});
