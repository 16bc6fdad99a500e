import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRequestRow, TEST_BACKENDS, type OpenedTestStore } from '../../store/store-test-support.ts';
import type { RequestRow } from '../../store/types.ts';
import { ObservedLengths } from './observed-lengths.ts';
import { percentileOf } from './size-max-tokens.ts';

const T0 = Date.UTC(2026, 10, 1);

/** 40 math answers of 100..139 tokens (even ones sim-mini's, the last cut at max_tokens), one qa answer, and rows that must not count. */
function fixtureRows(): RequestRow[] {
  const rows: RequestRow[] = [];
  for (let i = 0; i < 40; i++) {
    rows.push(
      makeRequestRow({
        created_at: T0 + i,
        task_type: 'math',
        model_used: i % 2 === 0 ? 'sim-mini' : 'sim-large',
        output_tokens: 100 + i,
        finish_reason: i === 39 ? 'length' : 'stop',
      }),
    );
  }
  const ignored: Array<Partial<RequestRow>> = [
    { status: 500, output_tokens: 9_000 },
    { cache_hit: true, output_tokens: 9_000 },
    { optimization: JSON.stringify({ technique: 'self_consistency' }), output_tokens: 9_000 },
  ];
  for (const o of ignored) rows.push(makeRequestRow({ created_at: T0 + 100, task_type: 'math', ...o }));
  rows.push(makeRequestRow({ created_at: T0 + 200, task_type: 'qa', output_tokens: 7 }));
  return rows;
}

describe.each(TEST_BACKENDS)('ObservedLengths on $name', (backend) => {
  let opened: OpenedTestStore;
  beforeAll(async () => {
    opened = await backend.open();
    await opened.store.insertRequests(fixtureRows());
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('serves the completed plain answers per task type and per model, sorted, from memory', async () => {
    const lengths = new ObservedLengths(opened.store.db);
    expect(lengths.get('math')).toBeUndefined();
    await lengths.refresh();
    const math = lengths.get('math')!;
    expect(math.sortedOutputTokens).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
    expect(math.truncated).toBe(1);
    expect(math.fromMs).toBe(T0);
    expect(math.toMs).toBe(T0 + 39);
    expect(percentileOf(math.sortedOutputTokens, 0.95)).toBe(137); // rank ceil(0.95 × 40) = 38
    const mini = lengths.get('math', 'sim-mini')!;
    expect(mini.model).toBe('sim-mini');
    expect(mini.sortedOutputTokens).toEqual(Array.from({ length: 20 }, (_, i) => 100 + 2 * i));
    expect(lengths.get('qa')?.sortedOutputTokens).toEqual([7]);
    expect(lengths.get('coding')).toBeUndefined();
    expect(lengths.refreshedAtMs).toBeGreaterThan(0);
  });

  it('reads only the most recent window per task type', async () => {
    const lengths = new ObservedLengths(opened.store.db, { windowRequests: 10 });
    await lengths.refresh();
    expect(lengths.get('math')!.sortedOutputTokens).toEqual(Array.from({ length: 10 }, (_, i) => 130 + i));
  });

  it('refreshes in the background after start() and keeps serving between refreshes', async () => {
    const lengths = new ObservedLengths(opened.store.db, { refreshIntervalMs: 20 });
    lengths.start();
    await opened.store.insertRequests([makeRequestRow({ created_at: T0 + 300, task_type: 'coding', output_tokens: 42 })]);
    await expect.poll(() => lengths.get('coding')?.sortedOutputTokens, { timeout: 5_000, interval: 10 }).toEqual([42]);
    await lengths.stop();
  });
});
