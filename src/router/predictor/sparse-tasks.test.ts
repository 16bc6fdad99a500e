import { describe, expect, it } from 'vitest';
import { familiesOf, imputeCoarseTaskWeights, sharedTaskShift } from './sparse-tasks.ts';

describe('sharedTaskShift', () => {
  it('is the row-weighted mean of (value − level) over the models with enough rows', () => {
    const shift = sharedTaskShift(
      [
        { rows: 100, value: 0.1, level: 1.5 }, // −1.4
        { rows: 300, value: 0, level: 0.8 }, // −0.8
        { rows: 6, value: 3, level: 0 }, // too few rows: ignored
      ],
      30,
    );
    expect(shift).toBeCloseTo((100 * -1.4 + 300 * -0.8) / 400, 12);
  });

  it('is undefined when no model has enough rows', () => {
    expect(sharedTaskShift([{ rows: 29, value: 1, level: 0 }], 30)).toBeUndefined();
    expect(sharedTaskShift([], 30)).toBeUndefined();
  });
});

describe('imputeCoarseTaskWeights', () => {
  it('gives a model without rows of a task its own mean task weight plus the shift the others show', () => {
    // Two dense weights, then three task weights (qa, math, coding).
    const strong = { weights: Float64Array.from([0.5, -0.5, 1.0, -1.0, 0.0]), offset: 2, rows: [1000, 200, 300] };
    const sparse = { weights: Float64Array.from([0.2, 0.2, 0.6, 0.05, 0.2]), offset: 2, rows: [500, 6, 500] };
    imputeCoarseTaskWeights([strong, sparse], 3, 30);
    const strongMean = (1000 * 1 + 200 * -1 + 300 * 0) / 1500;
    const sparseMean = (500 * 0.6 + 500 * 0.2) / 1000;
    expect(sparse.weights[3]).toBeCloseTo(sparseMean + (-1 - strongMean), 12);
    // Dense weights, tasks with data, and the model with data are untouched.
    expect([...sparse.weights.subarray(0, 3)]).toEqual([0.2, 0.2, 0.6]);
    expect(sparse.weights[4]).toBe(0.2);
    expect([...strong.weights]).toEqual([0.5, -0.5, 1.0, -1.0, 0.0]);
  });

  it('leaves a task type alone when no head has enough rows of it', () => {
    const a = { weights: Float64Array.from([0.3, 0.7]), offset: 0, rows: [100, 4] };
    const b = { weights: Float64Array.from([0.1, -0.2]), offset: 0, rows: [100, 0] };
    imputeCoarseTaskWeights([a, b], 2, 30);
    expect(a.weights[1]).toBeCloseTo(0.7, 12);
    expect(b.weights[1]).toBeCloseTo(-0.2, 12);
  });
});

describe('familiesOf', () => {
  it('groups models linked through shared sources, transitively, and keeps unlinked ones apart', () => {
    const m = (id: string, ...sources: string[]) => ({ id, sources });
    const families = familiesOf([
      m('gpt4', 'mmlu', 'arc'),
      m('yi', 'arc', 'mbpp'),
      m('coder', 'mbpp'),
      m('zephyr', 'gsm8k'),
      m('metamath', 'gsm8k'),
      m('a'),
      m('b'),
    ]);
    expect(families.map((f) => f.map((x) => x.id))).toEqual([
      ['gpt4', 'yi', 'coder'],
      ['zephyr', 'metamath'],
      ['a', 'b'],
    ]);
  });
});
