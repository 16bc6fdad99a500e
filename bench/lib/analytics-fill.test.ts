import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import { benchmarkConfig, fillAnalyticsStore, type FillStats } from './analytics-fill.ts';
import { BENCH_KEYS } from './analytics-history.ts';
import { timeTimeframe } from './analytics-timing.ts';

const SPEC = { requests: 3_000, days: 2, endMs: Date.UTC(2026, 10, 30, 12), seed: 11 };

describe('fillAnalyticsStore', () => {
  let dir: string;
  let stats: FillStats;
  let store: KyselyStore;
  const progress: number[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-bench-fill-'));
    stats = await fillAnalyticsStore(dir, SPEC, benchmarkConfig(), (n) => progress.push(n));
    store = await openStore({ dir });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every generated row into a migrated store, reporting progress up to the total', async () => {
    expect(stats.requests).toBe(SPEC.requests);
    expect(await store.countRequests()).toBe(SPEC.requests);
    const count = async (table: 'decisions' | 'feedback') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('decisions')).toBe(stats.decisions);
    expect(await count('feedback')).toBe(stats.feedback);
    expect((await store.listApiKeys()).map((k) => k.id).sort()).toEqual(BENCH_KEYS.map((k) => k.id).sort());
    expect(progress.at(-1)).toBe(SPEC.requests);
    expect(stats.dbBytes).toBeGreaterThan(0);
  });

  it('reads the rows back as the gateway wrote them', async () => {
    const ids = await store.listRequestIds();
    const row = await store.getRequest(ids[0] ?? '');
    expect(row?.created_at).toBeGreaterThanOrEqual(SPEC.endMs - SPEC.days * 86_400_000);
    if (row?.decision_id) expect((await store.getDecisionByRequest(row.id))?.id).toBe(row.decision_id);
  });

  it('times the report and every analysis over the filled store', async () => {
    const t = await timeTimeframe(store.readDb, benchmarkConfig(), '24h', SPEC.endMs, { report: 2, analysis: 1 });
    expect(t.report.runsMs).toHaveLength(2);
    expect(t.requests).toBeGreaterThan(0);
    expect(Object.keys(t.analyses)).toEqual([
      'routing_analytics',
      'routing_costs',
      'quality_metrics',
      'request_patterns',
      'model_performance',
      'bottlenecks',
      'cost_drivers',
      'quality_issues',
      'recommendations',
    ]);
  }, 60_000);
});
