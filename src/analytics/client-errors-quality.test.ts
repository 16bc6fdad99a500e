import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import { resolveAnalysisQuery } from './analysis-query.ts';
import { insertHistory, KNOWN_DAY_MS, KNOWN_WINDOW, type HistoryRequest } from './fixture-history.test-support.ts';
import { qualityIssues } from './quality-issues.ts';
import { qualityMetrics } from './quality-metrics.ts';
import { refreshRollups } from './rollup/refresh-rollups.ts';

const MINUTE = 60_000;
const mini = { model_used: 'gpt-4o-mini', task_type: 'qa', key_id: 'key_a', cost_usd: 0.001 };

/**
 * 10 answered requests judged 0.9; 5 refused as malformed (400), 2 over budget (429), 1 the client left
 * (499): client errors, no quality samples; 2 the upstream failed (502): quality 0.
 */
function history(): HistoryRequest[] {
  const failed = (status: number, error_type: string) => ({ ...mini, status, error_type, finish_reason: null, cost_usd: 0 });
  const specs = [
    ...Array.from({ length: 10 }, () => ({ request: mini, feedback: [{ source: 'judge', score: 0.9 }] })),
    ...Array.from({ length: 5 }, () => ({ request: failed(400, 'invalid_value') })),
    ...Array.from({ length: 2 }, () => ({ request: failed(429, 'budget_exceeded') })),
    { request: failed(499, 'client_closed') },
    ...Array.from({ length: 2 }, () => ({ request: failed(502, 'no_healthy_upstream') })),
  ];
  return specs.map((s, i) => ({ atMs: KNOWN_DAY_MS + 9 * 3_600_000 + i * MINUTE, ...s }));
}

describe.each(TEST_BACKENDS)('client errors are no quality samples ($name)', (backend) => {
  let opened: OpenedTestStore;
  const q = resolveAnalysisQuery(KNOWN_WINDOW, Date.parse(KNOWN_WINDOW.to));
  beforeAll(async () => {
    opened = await backend.open();
    await insertHistory(opened.store, history());
  });
  afterAll(async () => opened?.cleanup());

  async function both<T>(analysis: () => Promise<T>): Promise<T> {
    const fromLog = await analysis();
    await refreshRollups(opened.store.db, Date.parse(KNOWN_WINDOW.to) + 3_600_000);
    const fromRollup = await analysis();
    expect(fromRollup).toEqual(fromLog);
    return fromRollup;
  }

  it('identify_quality_issues judges the cell on answered requests and server failures only', async () => {
    const r = await both(() => qualityIssues(opened.store.db, q, { threshold: 0.8, min_samples: 5 }));
    // 10 × 0.9 and 2 × 0 over 12 samples; with the 8 client errors as zeros it read 9 / 19 = 0.474.
    expect(r.cells).toMatchObject([{ model: 'gpt-4o-mini', task_type: 'qa', rated: 12, avg_quality: 0.75 }]);
    expect(r.low_score_count).toBe(2);
    expect(r.low_score_requests.map((x) => x.status)).toEqual([502, 502]);
  });

  it('quality metrics leave client errors out of the ratings and the completion rate', async () => {
    const r = await both(() => qualityMetrics(opened.store.db, q));
    expect(r).toMatchObject({ sample_size: 20, rated_requests: 12, avg_quality: 0.75, completion_rate: 0.833333 });
    expect(r.quality_sources).toEqual({ user: 0, judge: 10, completion: 2 });
    expect(r.completion).toEqual({ completed: 10, truncated: 0, content_filtered: 0, failed: 2, client_errors: 8 });
  });
});
