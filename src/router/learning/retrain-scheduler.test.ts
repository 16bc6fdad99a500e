import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LearningConfig, RetrainConfig } from '../../config/learning-schema.ts';
import { LearningStore } from '../../store/learning-store.ts';
import { openStore } from '../../store/open-store.ts';
import { toRecord } from './learning-loop.ts';
import { learningRowFor } from './learning.test-support.ts';
import { spawnRetrain, type RetrainJob } from './retrain-process.ts';
import { RetrainScheduler } from './retrain-scheduler.ts';
import { retrainOptionsFrom, type RetrainResult } from './retrain.ts';

const HOUR_MS = 3_600_000;

function fakeResult(status: RetrainResult['status']): RetrainResult {
  const evaluation = { promote: status === 'live', reason: status === 'live' ? 'better' : 'within noise' } as RetrainResult['evaluation'];
  return { id: 'rm_1', version: 'v', trainRows: 1, learningRows: 1, evaluation, status };
}

function scheduler(every: string | undefined, run: () => Promise<RetrainResult>, clock: { nowMs: number }, lastTrainedAtMs: number | null = null) {
  const promoted: RetrainResult[] = [];
  let runs = 0;
  const s = new RetrainScheduler({
    config: () => RetrainConfig.parse(every ? { every } : {}),
    job: () => ({}) as RetrainJob,
    run: () => {
      runs++;
      return run();
    },
    lastTrainedAtMs: async () => lastTrainedAtMs,
    onPromoted: async (r) => void promoted.push(r),
    now: () => clock.nowMs,
  });
  return { s, promoted, runs: () => runs };
}

describe('scheduled retrain', () => {
  it('is off by default: no retrain without `every`', async () => {
    expect(RetrainConfig.parse({}).every).toBeUndefined();
    const { s, runs } = scheduler(undefined, async () => fakeResult('live'), { nowMs: 0 });
    await s.check();
    expect(runs()).toBe(0);
  });

  it('retrains once per period, counting a retrain by any replica or the CLI, and serves a promoted router', async () => {
    const clock = { nowMs: 100 * HOUR_MS };
    // Another replica trained 2 h ago: not due for a 24 h schedule.
    const recent = scheduler('24h', async () => fakeResult('live'), clock, clock.nowMs - 2 * HOUR_MS);
    await recent.s.check();
    expect(recent.runs()).toBe(0);
    const due = scheduler('24h', async () => fakeResult('live'), clock, clock.nowMs - 25 * HOUR_MS);
    await due.s.check();
    expect(due.runs()).toBe(1);
    expect(due.promoted).toHaveLength(1);
    expect(due.s.counters).toMatchObject({ runs: 1, promoted: 1, failed: 0, last: { status: 'live', reason: 'better' } });
  });

  it('a failed or unpromoted retrain changes nothing and waits a full period before the next attempt', async () => {
    const clock = { nowMs: 0 };
    let fail = true;
    const { s, promoted, runs } = scheduler('1h', async () => (fail ? Promise.reject(new Error('nothing to train on')) : fakeResult('candidate')), clock);
    await s.check();
    expect(s.counters).toMatchObject({ runs: 1, failed: 1, last: { status: 'failed', reason: 'nothing to train on' } });
    clock.nowMs += 30 * 60_000;
    await s.check();
    expect(runs()).toBe(1);
    fail = false;
    clock.nowMs += 31 * 60_000;
    await s.check();
    expect(runs()).toBe(2);
    expect(promoted).toHaveLength(0);
    expect(s.counters.last?.status).toBe('candidate');
  });

  it('runs the retrain in a child process, off the event loop, and stores the candidate', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aigw-retrain-'));
    const store = await openStore({ dir });
    try {
      const rows = Array.from({ length: 300 }, (_, i) => learningRowFor(i, 'acme-small', i % 5 === 0 ? 1 : 0, 1_000 + i, `q-${String(i).padStart(5, '0')}`));
      await new LearningStore(store.db).insertRows(rows.map(toRecord));
      const learning = LearningConfig.parse({ retrain: { min_holdout_rows: 50, every: '1h' } });
      const job: RetrainJob = {
        store: { dir },
        config: { models: [], routing: { learning } },
        options: { ...retrainOptionsFrom(learning, 10_000), sinceMs: 0 },
      };
      // The event loop is free while the child trains: this process only waits for its message.
      let turned = false;
      const pending = spawnRetrain(job, 110_000);
      await new Promise((r) => setImmediate(r)).then(() => (turned = true));
      expect(turned).toBe(true);
      const result = await pending;
      expect(result.learningRows).toBe(240);
      const stored = await new LearningStore(store.db).recentRouterModels(5);
      expect(stored.map((m) => m.id)).toEqual([result.id]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a retrain process that runs past its timeout is killed and reported as failed', { timeout: 60_000 }, async () => {
    const job = { store: { dir: tmpdir() }, config: { models: [], routing: {} }, options: {} } as unknown as RetrainJob;
    await expect(spawnRetrain(job, 1)).rejects.toThrow(/ended|without a result/);
  });
});
