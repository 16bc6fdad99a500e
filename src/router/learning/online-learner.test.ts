import { describe, expect, it } from 'vitest';
import { fromRecord, toRecord } from './learning-loop.ts';
import { LearningPredictor } from './learning-predictor.ts';
import { OnlineLearner } from './online-learner.ts';
import { learningRowFor, shippedPredictor } from './learning.test-support.ts';

const CATALOG = [{ id: 'acme-small', quality: { default: 0.5 } }];

describe('OnlineLearner', () => {
  it('decodes a stored row’s features only when it has not converted that row before', { timeout: 60_000 }, async () => {
    const records = Array.from({ length: 30 }, (_, i) => toRecord(learningRowFor(i, 'acme-small', i % 3 === 0 ? 0 : 1, 1_000 + i)));
    const learner = new OnlineLearner(new LearningPredictor(shippedPredictor()), () => CATALOG);
    const first = await learner.refit(records.map(fromRecord), 1, 2_000);
    // The same rows again, with features no decoder could read: a refit that decoded them would throw.
    const unreadable = records.map((r) => fromRecord({ ...r, features: 'not features' }));
    expect(() => unreadable[0]!.features).toThrow();
    const second = await learner.refit(
      records.map((r) => fromRecord({ ...r, features: 'not features' })),
      2,
      2_000,
    );
    expect(second.models).toEqual(first.models);
  });
});
