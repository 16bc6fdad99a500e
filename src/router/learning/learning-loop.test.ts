import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_PATH, predictorFromJson } from '../predictor/load-predictor.ts';
import { LearningStore } from '../../store/learning-store.ts';
import { TEST_BACKENDS, type OpenedTestStore } from '../../store/store-test-support.ts';
import { LearningLoop, toRecord } from './learning-loop.ts';
import { LearningPredictor } from './learning-predictor.ts';
import { learningConfig, learningRowFor, shippedPredictor } from './learning.test-support.ts';

const CATALOG = [
  { id: 'acme-small', quality: { default: 0.5 } },
  { id: 'acme-large', quality: { default: 0.8 } },
];

function loopOn(store: LearningStore, now: () => number, overrides = {}) {
  return new LearningLoop({
    store,
    predictor: new LearningPredictor(shippedPredictor()),
    config: () => learningConfig({ refit_every_outcomes: 10, ...overrides }),
    catalog: () => CATALOG,
    now,
  });
}

/** Two replicas' loops on one store, sharing a clock the test moves. */
async function twoReplicas(opened: OpenedTestStore) {
  const store = new LearningStore(opened.store.db);
  const clock = { now: 10_000 };
  const a = loopOn(store, () => clock.now);
  const b = loopOn(store, () => clock.now);
  await a.start();
  await b.start();
  return { store, a, b, clock };
}

describe.each(TEST_BACKENDS)('learning loop on $name', (backend) => {
  let opened: OpenedTestStore | null = null;
  afterEach(async () => {
    await opened?.cleanup();
    opened = null;
  }, 60_000);

  it('keeps learning rows (features, no text) across a restart and scores them by feedback', { timeout: 60_000 }, async () => {
    opened = await backend.open();
    const loop = loopOn(new LearningStore(opened.store.db), () => 1_000);
    for (let i = 0; i < 5; i++) loop.record(learningRowFor(i, 'acme-small', null, 1_000 + i));
    await loop.close();
    await opened.store.upsertFeedback({ id: 'fb1', request_id: 'req-000002', source: 'user', score: 1, comment: null, created_at: 2_000 });
    await opened.store.close();
    const reopened = await opened.reopen();
    opened = { ...opened, store: reopened, cleanup: async () => reopened.close() };
    const rows = await new LearningStore(reopened.db).scoredRows(0, 100);
    expect(rows.map((r) => [r.request_id, r.score, r.source])).toEqual([['req-000002', 1, 'user']]);
    expect(rows[0]!.features).not.toContain('Fibonacci');
    expect(rows[0]!.features).not.toContain('Solve');
  });

  it('applies a signal that arrived before its row was written, and a judge grade never replaces a person', { timeout: 60_000 }, async () => {
    opened = await backend.open();
    const store = new LearningStore(opened.store.db);
    await opened.store.upsertFeedback({ id: 'fb1', request_id: 'req-000001', source: 'user', score: 0, comment: null, created_at: 10 });
    await opened.store.upsertFeedback({ id: 'fb2', request_id: 'req-000001', source: 'judge', score: 1, comment: null, created_at: 11 });
    await store.insertRows([toRecord(learningRowFor(1, 'acme-small', null, 5))]);
    await store.applyEarlierSignals(['req-000001']);
    expect((await store.scoredRows(0, 10)).map((r) => [r.score, r.source])).toEqual([[0, 'user']]);
    await opened.store.upsertFeedback({ id: 'fb3', request_id: 'req-000001', source: 'judge', score: 1, comment: null, created_at: 12 });
    expect((await store.scoredRows(0, 10)).map((r) => [r.score, r.source])).toEqual([[0, 'user']]);
  });

  it('looks for earlier signals only when feedback was stored since the rows began (less clock skew)', { timeout: 60_000 }, async () => {
    opened = await backend.open();
    const store = new LearningStore(opened.store.db);
    const startedMs = 1_000_000_000;
    // Signals stored before their rows: one 4 minutes "before" its request began (another replica's clock).
    await opened.store.upsertFeedback({ id: 'fb1', request_id: 'req-000001', source: 'user', score: 1, comment: null, created_at: startedMs - 240_000 });
    await store.insertRows([toRecord(learningRowFor(1, 'acme-small', null, startedMs)), toRecord(learningRowFor(2, 'acme-small', null, startedMs))]);
    await store.applyEarlierSignals(['req-000001', 'req-000002'], startedMs);
    expect((await store.scoredRows(0, 10)).map((r) => [r.request_id, r.score])).toEqual([['req-000001', 1]]);
    // The newest feedback is older than the rows' requests by more than the skew (a signal cannot come
    // before its request): the IN-list is not run, so a row whose signal is that old stays unscored.
    const laterMs = startedMs + 600_000;
    await opened.store.upsertFeedback({ id: 'fb2', request_id: 'req-000003', source: 'user', score: 0, comment: null, created_at: startedMs - 240_000 });
    await store.insertRows([toRecord(learningRowFor(3, 'acme-small', null, laterMs))]);
    await store.applyEarlierSignals(['req-000003'], laterMs);
    expect((await store.scoredRows(0, 10)).map((r) => r.request_id)).toEqual(['req-000001']);
    await store.applyEarlierSignals(['req-000003']);
    expect((await store.scoredRows(0, 10)).map((r) => r.request_id)).toEqual(['req-000001', 'req-000003']);
  });

  it('moves a model from its catalog prior with evidence, and two replicas converge on the same state', { timeout: 60_000 }, async () => {
    opened = await backend.open();
    const { store, a, b, clock } = await twoReplicas(opened);
    // acme-small's prior says 0.5; it answers 40 of 40 prompts well.
    await store.insertRows(Array.from({ length: 40 }, (_, i) => toRecord(learningRowFor(i, 'acme-small', 1, clock.now + i))));
    clock.now += 1_000;
    // Both replicas decide to refit at once: one wins the state number, the other adopts it.
    await Promise.all([a.tick(), b.tick()]);
    await Promise.all([a.tick(), b.tick()]);
    const sa = a.predictor.state!;
    const sb = b.predictor.state!;
    expect(sa.id).toBeGreaterThan(0);
    expect(sb).toEqual(sa);
    expect(a.predictor.version).toBe(b.predictor.version);
    expect(a.predictor.version).toMatch(/\+ls\d+$/);
    const tasks = Object.values(sa.models['acme-small']!.tasks);
    expect(tasks.reduce((s, t) => s + t.outcomes, 0)).toBe(40);
    for (const t of tasks) expect(t.shift).toBeGreaterThan(0.2);
    await a.close();
    await b.close();
  });

  it('refits without the rows whose features it cannot decode, and logs their count once', { timeout: 60_000 }, async () => {
    opened = await backend.open();
    const store = new LearningStore(opened.store.db);
    const warnings: [object, string][] = [];
    const loop = new LearningLoop({
      store,
      predictor: new LearningPredictor(shippedPredictor()),
      config: () => learningConfig(),
      catalog: () => CATALOG,
      logger: { warn: (obj, msg) => warnings.push([obj, msg]) },
      now: () => 10_000,
    });
    const rows = Array.from({ length: 12 }, (_, i) => toRecord(learningRowFor(i, 'acme-small', 1, 1_000 + i)));
    // Three rows as a newer gateway would write them: a dense vocabulary id this one does not know.
    for (const r of rows.slice(0, 3)) r.features = r.features.replace(/"dk":"[^"]*"/, '"dk":"ffffffff"');
    await store.insertRows(rows);
    const state = await loop.refitNow();
    const tasks = Object.values(state!.models['acme-small']!.tasks);
    expect(tasks.reduce((s, t) => s + t.outcomes, 0)).toBe(9);
    expect(warnings).toEqual([
      [{ rows: 3, reason: 'learning row: unknown dense feature vocabulary ffffffff' }, 'learning: refit skipped rows it cannot decode'],
    ]);
    await loop.close();
  });

  it('serves a router promoted in the store on every replica without a restart', { timeout: 60_000 }, async () => {
    opened = await backend.open();
    const { store, a, b, clock } = await twoReplicas(opened);
    await store.insertRows(Array.from({ length: 20 }, (_, i) => toRecord(learningRowFor(i, 'acme-small', 1, clock.now + i))));
    // Another router file (its version is a hash of the text): the shipped weights with a trailing newline.
    const text = `${readFileSync(DEFAULT_MODEL_PATH, 'utf8')}\n`;
    const promoted = predictorFromJson(text);
    await store.insertRouterModel({
      id: 'rm_x',
      created_at: clock.now,
      version: promoted.version,
      status: 'candidate',
      reason: 'better',
      evaluation: '{}',
      file: text,
      promoted_at: null,
    });
    await store.promoteRouterModel('rm_x', clock.now);
    clock.now += 1_000;
    // a was told by its own scheduler; b finds it on its next background step.
    expect(await a.adoptPromoted()).toBe(true);
    await b.tick();
    expect(a.predictor.base.version).toBe(promoted.version);
    expect(b.predictor.base.version).toBe(promoted.version);
    await b.tick();
    expect(b.predictor.state?.baseVersion).toBe(promoted.version);
    expect(b.predictor.version).toBe(a.predictor.version);
    await a.close();
    await b.close();
  });
});
