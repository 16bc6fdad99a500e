import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, type OpenedTestStore } from '../../store/store-test-support.ts';
import { resolveAnalysisQuery, type AnalysisParams } from '../analysis-query.ts';
import { bottlenecks } from '../bottlenecks.ts';
import { budgetUtilization } from '../budget-utilization.ts';
import { costDrivers } from '../cost-drivers.ts';
import { insertHistory, KNOWN_DAY_MS, KNOWN_WINDOW, knownHistory } from '../fixture-history.test-support.ts';
import { decisionTimePercentiles, percentilesFromCounts, requestLatencyPercentiles } from '../indexed-percentiles.ts';
import { modelPerformance } from '../model-performance.ts';
import { percentiles } from '../percentiles.ts';
import { qualityIssues } from '../quality-issues.ts';
import { qualityMetrics } from '../quality-metrics.ts';
import { requestPatterns } from '../request-patterns.ts';
import { decisionsInWindowSql, requestWindowSql } from '../request-window.ts';
import { routingAnalytics } from '../routing-analytics.ts';
import { routingCosts } from '../routing-costs.ts';
import { HOUR_MS } from './cell-sql.ts';
import { histogramsServe } from './histogram-counts.ts';
import { DAILY_ROLLUP, rebuildRollups, refreshRollups, ROLLUP_SETTLE_MS, rollupThroughMs } from './refresh-rollups.ts';
import { HISTOGRAM_RELATIVE_ERROR } from './value-histograms.ts';

const endMs = Date.parse(KNOWN_WINDOW.to);
const iso = (ms: number) => new Date(ms).toISOString();
/** Windows on whole hours, with partial hours at both edges, filtered, and the day before the known one. */
const WINDOWS: AnalysisParams[] = [
  KNOWN_WINDOW,
  { from: iso(KNOWN_DAY_MS + 30 * 60_000), to: iso(endMs - 25 * 60_000) },
  { ...KNOWN_WINDOW, models: ['gpt-4o-mini'], task_types: ['qa', 'coding'] },
  { ...KNOWN_WINDOW, keys: ['key_a'] },
  { from: iso(KNOWN_DAY_MS - 24 * HOUR_MS), to: iso(endMs) },
  // Four days from a partial hour: a daily cost trend, whole days from the daily rollup.
  { from: iso(KNOWN_DAY_MS - 48 * HOUR_MS + 30 * 60_000), to: iso(endMs + 24 * HOUR_MS) },
];

/** A percentile read from a histogram is within HISTOGRAM_RELATIVE_ERROR (< 1%) of the exact one. */
function expectWithinHistogramError(approx: number | undefined, exact: number | undefined): void {
  expect(approx).toBeDefined();
  expect(exact).toBeDefined();
  expect(Math.abs(approx! - exact!)).toBeLessThanOrEqual(exact! * HISTOGRAM_RELATIVE_ERROR * (1 + 1e-9));
}

describe.each(TEST_BACKENDS)('request rollups ($name)', (backend) => {
  let opened: OpenedTestStore;
  const db = () => opened.store.db;
  const everyAnalysis = () =>
    Promise.all(
      WINDOWS.map(async (w) => {
        const q = resolveAnalysisQuery(w, endMs);
        return {
          routing: await routingAnalytics(db(), q),
          costs: await routingCosts(db(), q, { tier_of: { 'gpt-4o': 'premium' } }),
          patterns: await requestPatterns(db(), q),
          budgets: await budgetUtilization(db(), q),
          quality: await qualityMetrics(db(), q),
          performance: await modelPerformance(db(), q),
          drivers: await costDrivers(db(), q, { tier_of: { 'gpt-4o': 'premium' } }),
          bottlenecks: await bottlenecks(db(), q),
          issues: await qualityIssues(db(), q),
        };
      }),
    );
  let fromRawRows: Awaited<ReturnType<typeof everyAnalysis>>;

  beforeAll(async () => {
    opened = await backend.open();
    const { requests, keys } = knownHistory();
    await insertHistory(opened.store, requests, keys);
    fromRawRows = await everyAnalysis();
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('answers the same with part of the window rolled up (the edges read from the raw rows)', async () => {
    const through = await refreshRollups(db(), KNOWN_DAY_MS + 13 * HOUR_MS + 20 * 60_000 + ROLLUP_SETTLE_MS);
    expect(through).toBe(KNOWN_DAY_MS + 13 * HOUR_MS);
    expect(await everyAnalysis()).toEqual(fromRawRows);
  });

  it('answers the same with everything rolled up, and a second refresh adds nothing', async () => {
    const nowMs = endMs + 2 * 24 * HOUR_MS;
    await refreshRollups(db(), nowMs);
    const count = async (table: string) => Number((await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)}`.execute(db())).rows[0]?.n);
    const rows = { hourly: await count('request_rollup_hourly'), daily: await count('request_rollup_daily') };
    expect(rows.daily).toBeGreaterThan(0);
    expect(rows.daily).toBeLessThanOrEqual(rows.hourly);
    expect(await refreshRollups(db(), nowMs)).toBe(Math.floor((nowMs - ROLLUP_SETTLE_MS) / HOUR_MS) * HOUR_MS);
    expect(await rollupThroughMs(db(), DAILY_ROLLUP)).toBe(Math.floor((nowMs - ROLLUP_SETTLE_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS);
    expect({ hourly: await count('request_rollup_hourly'), daily: await count('request_rollup_daily') }).toEqual(rows);
    expect(await everyAnalysis()).toEqual(fromRawRows);
  });

  it('rebuilds from the log', async () => {
    const nowMs = endMs + 2 * 24 * HOUR_MS;
    await rebuildRollups(db(), nowMs);
    expect(await rollupThroughMs(db())).toBe(Math.floor((nowMs - ROLLUP_SETTLE_MS) / HOUR_MS) * HOUR_MS);
    expect(await rollupThroughMs(db(), DAILY_ROLLUP)).toBe(Math.floor((nowMs - ROLLUP_SETTLE_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS);
    expect(await everyAnalysis()).toEqual(fromRawRows);
  });

  it('counts decision-time percentiles from distinct values with the same values as the window functions', async () => {
    for (const w of WINDOWS) {
      const q = resolveAnalysisQuery(w, endMs);
      const source = sql`select d.decision_us as x from ${decisionsInWindowSql(q)}`;
      const [viaSort, viaCounts] = await Promise.all([percentiles(db(), source, [50, 95, 99]), percentilesFromCounts(db(), source, [50, 95, 99])]);
      expect({ ...viaCounts, mean: undefined }).toEqual({ ...viaSort, mean: undefined });
      expect(viaCounts.mean).toBeCloseTo(viaSort.mean ?? Number.NaN, 9);
    }
  });

  it("reads decision-time percentiles exactly on small windows and within the histograms' error on large ones", async () => {
    for (const w of WINDOWS) {
      const q = resolveAnalysisQuery(w, endMs);
      const viaSort = await percentiles(db(), sql`select d.decision_us as x from ${decisionsInWindowSql(q)}`, [50, 95, 99]);
      const exact = await decisionTimePercentiles(db(), q, [50, 95, 99]);
      expect({ n: exact.n, p50: exact.p50, p95: exact.p95, p99: exact.p99 }).toEqual({ n: viaSort.n, p50: viaSort.p50, p95: viaSort.p95, p99: viaSort.p99 });
      const viaHistogram = await decisionTimePercentiles(db(), q, [50, 95, 99], 1);
      expect(viaHistogram.n).toBe(viaSort.n);
      expect(viaHistogram.mean).toBeCloseTo(viaSort.mean ?? Number.NaN, 6);
      for (const p of ['p50', 'p95', 'p99'] as const) expectWithinHistogramError(viaHistogram[p], viaSort[p]);
    }
  });

  it('reads latency percentiles from the histograms within their stated error of the window functions', async () => {
    let fromHistograms = 0;
    for (const w of WINDOWS) {
      const q = resolveAnalysisQuery(w, endMs);
      const viaSort = await percentiles(db(), sql`select r.latency_ms as x from requests r where ${requestWindowSql(q)}`, [50, 95, 99]);
      const viaHistogram = await requestLatencyPercentiles(db(), q, viaSort.n ?? 0, [50, 95, 99], 0);
      if (histogramsServe('latency_ms', q)) fromHistograms += 1;
      expect(viaHistogram.n).toBe(viaSort.n);
      expect(viaHistogram.mean).toBeCloseTo(viaSort.mean ?? Number.NaN, 6);
      for (const p of ['p50', 'p95', 'p99'] as const) expectWithinHistogramError(viaHistogram[p], viaSort[p]);
    }
    expect(fromHistograms).toBeGreaterThanOrEqual(4);
  });

  it('fills the histograms with every request and routed decision of the rolled-up hours', async () => {
    const through = (await rollupThroughMs(db())) ?? 0;
    const counted = async (metric: string) =>
      Number(
        (await sql<{ n: unknown }>`select sum(n) as n from value_histogram_hourly where metric = ${metric} and hour_ms < ${through}`.execute(db())).rows[0]?.n,
      );
    const rows = async (table: string) =>
      Number((await sql<{ n: unknown }>`select count(*) as n from ${sql.table(table)} where created_at < ${through}`.execute(db())).rows[0]?.n);
    expect(await counted('latency_ms')).toBe(await rows('requests'));
    expect(await counted('decision_us')).toBe(await rows('decisions'));
  });
});

describe('refreshRollups on an empty log', () => {
  it('rolls nothing up and sets no watermark', async () => {
    const opened = await TEST_BACKENDS[0]!.open();
    try {
      expect(await refreshRollups(opened.store.db, endMs)).toBeNull();
      expect(await rollupThroughMs(opened.store.db)).toBeNull();
    } finally {
      await opened.cleanup();
    }
  });
});
