import { describe, expect, it } from 'vitest';
import { assignFolds, createRng } from './rng.ts';

describe('rng and folds', () => {
  it('is reproducible for a seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(createRng(8)()).not.toBe(createRng(7)());
  });

  it('assigns balanced folds, fixed by seed', () => {
    const folds = assignFolds(103, 5, 1);
    const sizes = [0, 0, 0, 0, 0];
    for (const f of folds) sizes[f]!++;
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(Array.from(assignFolds(103, 5, 1))).toEqual(Array.from(folds));
  });
});
