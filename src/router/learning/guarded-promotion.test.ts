import { afterEach, describe, expect, it } from 'vitest';
import { GatewayConfig } from '../../config/schema.ts';
import { LearningStore } from '../../store/learning-store.ts';
import { TEST_BACKENDS, type OpenedTestStore } from '../../store/store-test-support.ts';
import type { PromptAnalysis, QualityPredictor } from '../types.ts';
import { compareRouters, timeSplit } from './guarded-promotion.ts';
import { toRecord } from './learning-loop.ts';
import { learningRowFor } from './learning.test-support.ts';
import { retrainFromStore } from './retrain.ts';

/** A predictor that says `p(prompt index)` for every model; the index is read from the features' first bucket. */
function fixed(version: string, p: (a: PromptAnalysis) => number): QualityPredictor {
  return { version, knownModels: () => [], predict: (a, models) => models.map(() => p(a)) };
}

// Outcomes: prompts 0 and 4 (multiple choice) answered well, the others not.
const rows = Array.from({ length: 400 }, (_, i) =>
  learningRowFor(i, 'acme-small', i % 5 === 0 || i % 5 === 4 ? 1 : 0, 1_000 + i, `q-${String(i).padStart(5, '0')}`),
);
const isMultipleChoice = (a: PromptAnalysis) => a.taskType === 'qa';
const catalog = new Map<string, { id: string }>();

describe('guarded promotion', () => {
  const informed = fixed('informed', (a) => (isMultipleChoice(a) ? 0.9 : 0.1));
  const flat = fixed('flat', () => 0.4);

  it('does not promote a worse candidate', () => {
    const e = compareRouters(rows, informed, flat, catalog, { minRows: 100, splitAtMs: 0 });
    expect(e.logLossGain).toBeLessThan(0);
    expect(e.promote).toBe(false);
  });

  it('does not promote an equal candidate (no gain beyond noise)', () => {
    const e = compareRouters(
      rows,
      flat,
      fixed('flat-2', () => 0.4),
      catalog,
      { minRows: 100, splitAtMs: 0 },
    );
    expect(e.promote).toBe(false);
    expect(e.reason).toMatch(/within noise/);
  });

  it('promotes a clearly better candidate, and never on too few held-out rows', () => {
    const better = compareRouters(rows, flat, informed, catalog, { minRows: 100, splitAtMs: 0 });
    expect(better.promote).toBe(true);
    expect(better.logLossGain - 1.645 * better.logLossGainSe).toBeGreaterThan(0);
    const few = compareRouters(rows.slice(0, 50), flat, informed, catalog, { minRows: 100, splitAtMs: 0 });
    expect(few.promote).toBe(false);
  });

  it('splits by time: the held-out rows are the newest', () => {
    const { train, heldOut } = timeSplit([...rows].reverse(), 0.25);
    expect(heldOut).toHaveLength(100);
    expect(Math.min(...heldOut.map((r) => r.scoredAtMs!))).toBeGreaterThan(Math.max(...train.map((r) => r.scoredAtMs!)));
  });
});

describe.each(TEST_BACKENDS)('aigw router train --from-store on $name', (backend) => {
  let opened: OpenedTestStore | null = null;
  afterEach(async () => {
    await opened?.cleanup();
    opened = null;
  }, 60_000);

  it('trains on the learning rows, evaluates on the newest, and stores the candidate with its reason', async () => {
    opened = await backend.open();
    const store = new LearningStore(opened.store.db);
    await store.insertRows(rows.map(toRecord));
    const config = GatewayConfig.parse({ routing: { learning: { retrain: { min_holdout_rows: 50 } } } });
    const result = await retrainFromStore(store, config, {
      data: [],
      sinceMs: 0,
      holdoutShare: 0.2,
      minHoldoutRows: 50,
      seed: 1,
      maxRows: 10_000,
      nowMs: 5_000,
    });
    expect(result.learningRows).toBe(320);
    expect(result.evaluation.heldOutRows).toBe(80);
    const stored = await store.recentRouterModels(5);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe(result.status);
    expect(stored[0]!.reason).toBe(result.evaluation.reason);
    if (result.status === 'live') expect((await store.liveRouterModel())?.id).toBe(result.id);
    else expect(await store.liveRouterModel()).toBeUndefined();
  }, 120_000);
});
