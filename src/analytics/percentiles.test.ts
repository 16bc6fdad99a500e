import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import { insertHistory } from './fixture-history.test-support.ts';
import { percentiles, percentilesByGroup } from './percentiles.ts';

describe.each(TEST_BACKENDS)('nearest-rank percentiles in SQL ($name)', (backend) => {
  let opened: OpenedTestStore;
  beforeAll(async () => {
    opened = await backend.open();
    // Model a: latencies 1…100 ms; model b: one request of 7 ms; model c: 10 and 20 ms.
    const requests = [
      ...Array.from({ length: 100 }, (_, i) => ({ atMs: 1_000 + i, request: { model_used: 'a', latency_ms: 100 - i } })),
      { atMs: 2_000, request: { model_used: 'b', latency_ms: 7 } },
      { atMs: 2_001, request: { model_used: 'c', latency_ms: 20 } },
      { atMs: 2_002, request: { model_used: 'c', latency_ms: 10 } },
    ];
    await insertHistory(opened.store, requests);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('picks the smallest value with at least p% at or below it, per group, with count and mean', async () => {
    const byModel = await percentilesByGroup(opened.store.db, sql`select r.model_used as g, r.latency_ms as x from requests r`, [50, 90, 95, 99]);
    expect(byModel.get('a')).toEqual({ n: 100, mean: 50.5, p50: 50, p90: 90, p95: 95, p99: 99 });
    expect(byModel.get('b')).toEqual({ n: 1, mean: 7, p50: 7, p90: 7, p95: 7, p99: 7 });
    expect(byModel.get('c')).toEqual({ n: 2, mean: 15, p50: 10, p90: 20, p95: 20, p99: 20 });
  });

  it('ignores NULLs and returns nothing for no values', async () => {
    const all = await percentiles(opened.store.db, sql`select r.latency_ms as x from requests r`, [50]);
    expect(all).toMatchObject({ n: 103, p50: 49 }); // 103 values, rank 52: 1…49 plus 7, 10 and 20 are 52 values ≤ 49
    const none = await percentiles(opened.store.db, sql`select r.ttft_ms as x from requests r`, [50, 99]);
    expect(none).toEqual({});
  });
});
