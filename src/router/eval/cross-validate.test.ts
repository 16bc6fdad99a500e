import { describe, expect, it } from 'vitest';
import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { assignCvFolds, crossValidate } from './cross-validate.ts';

function row(id: string, dataset: string | undefined, prompt: string, scores: Record<string, number>): OutcomeRow {
  return { id, dataset, prompt, scores };
}

describe('assignCvFolds', () => {
  it('gives one fold per dataset when leaving one dataset out (rows without one share a fold)', () => {
    const rows = [row('1', 'a', 'x', {}), row('2', 'b', 'x', {}), row('3', 'a', 'x', {}), row('4', undefined, 'x', {})];
    const { folds, count } = assignCvFolds(rows, { folds: 5, seed: 1, byDataset: true });
    expect(count).toBe(3);
    expect([...folds]).toEqual([0, 1, 0, 2]);
  });

  it('needs two datasets to leave one out, and keeps k random folds otherwise', () => {
    const rows = Array.from({ length: 20 }, (_, i) => row(String(i), 'only', 'x', {}));
    expect(() => assignCvFolds(rows, { folds: 5, seed: 1, byDataset: true })).toThrow(/at least two datasets/);
    const random = assignCvFolds(rows, { folds: 4, seed: 1 });
    expect(random.count).toBe(4);
    expect(new Set(random.folds).size).toBe(4);
  });
});

describe('crossValidate, leaving one dataset out', () => {
  // `left` is right on every "alpha" prompt and wrong on every "beta" one; `right` is the opposite.
  const rows: OutcomeRow[] = [];
  for (let i = 0; i < 60; i++) {
    rows.push(row(`a${i}`, 'alpha', `Name the capital city of country number ${i} in the list.`, { left: 1, right: 0 }));
    rows.push(row(`b${i}`, 'beta', `Write a python function that returns ${i} squared.`, { left: 0, right: 1 }));
  }
  const meanOn = (p: Array<Record<string, number>>, dataset: string, model: string) => {
    const idx = rows.flatMap((r, k) => (r.dataset === dataset ? [k] : []));
    return idx.reduce((s, k) => s + p[k]![model]!, 0) / idx.length;
  };

  it('scores each dataset with a model that never saw it, unlike random folds', () => {
    const options = { folds: 3, seed: 1, train: { epochs: 2 } };
    const mixed = crossValidate(rows, options).predicted;
    const held = crossValidate(rows, { ...options, byDataset: true }).predicted;
    // With random folds the other alpha rows teach that `left` is right on alpha prompts.
    expect(meanOn(mixed, 'alpha', 'left')).toBeGreaterThan(meanOn(mixed, 'alpha', 'right'));
    // Trained on beta alone, the model only knows `right` as the better one.
    expect(meanOn(held, 'alpha', 'left')).toBeLessThan(meanOn(held, 'alpha', 'right'));
    expect(meanOn(held, 'beta', 'right')).toBeLessThan(meanOn(held, 'beta', 'left'));
  });
});

describe('crossValidate, selected held-out datasets', () => {
  const rows: OutcomeRow[] = [];
  for (let i = 0; i < 30; i++) {
    rows.push(row(`a${i}`, 'alpha', `Name the capital city of country number ${i}.`, { left: 1, right: i % 2 }));
    rows.push(row(`b${i}`, 'beta', `Write a python function that returns ${i} squared.`, { left: 0, right: 1 }));
    rows.push(row(`j${i}`, 'judged', `Explain idea number ${i} to a child.`, { left: 0.9, right: 0.1 }));
  }

  it('trains and scores only the asked folds; training means leave out preference sources', () => {
    const cv = crossValidate(rows, { folds: 3, seed: 1, byDataset: true, heldOut: ['beta'], train: { epochs: 1, preferenceSources: ['judged'] } });
    rows.forEach((r, i) => expect(Object.keys(cv.predicted[i]!).length > 0).toBe(r.dataset === 'beta'));
    const betaFold = cv.folds[rows.findIndex((r) => r.dataset === 'beta')]!;
    // Trained on alpha (and the judged rows, which are not correctness): left 1, right 0.5.
    expect(cv.trainingMeans![betaFold]).toEqual({ left: 1, right: 0.5 });
  });
});
