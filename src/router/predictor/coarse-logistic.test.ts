import { describe, expect, it } from 'vitest';
import { coarseInputs, coarseLogit, fitCoarseHead } from './coarse-logistic.ts';
import { createRng } from './rng.ts';

describe('fitCoarseHead', () => {
  it('recovers the direction and level of a logistic model', () => {
    const rng = createRng(5);
    const xs: Float64Array[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const x = Float64Array.from([rng() * 4 - 2, rng() * 4 - 2]);
      const p = 1 / (1 + Math.exp(-(0.5 + 2 * x[0]! - 1 * x[1]!)));
      xs.push(x);
      ys.push(rng() < p ? 1 : 0);
    }
    const head = fitCoarseHead(xs, ys, 0.01);
    expect(head.bias).toBeCloseTo(0.5, 0);
    expect(head.weights[0]!).toBeCloseTo(2, 0);
    expect(head.weights[1]!).toBeCloseTo(-1, 0);
  });

  it('shrinks towards the base rate under strong L2', () => {
    const xs = [Float64Array.from([1]), Float64Array.from([-1]), Float64Array.from([1]), Float64Array.from([-1])];
    const head = fitCoarseHead(xs, [1, 0, 1, 1], 1e4);
    expect(Math.abs(head.weights[0]!)).toBeLessThan(1e-3);
    expect(coarseLogit(head, [0])).toBeCloseTo(Math.log(3), 2);
  });
});

describe('coarseInputs', () => {
  it('keeps only the dense and task coordinates', () => {
    const layout = { buckets: 8, dense: ['a', 'b'], taskTypes: ['qa', 'chat'] as const, mean: [0, 0], std: [1, 1] };
    const x = { idx: Uint32Array.from([3, 8, 9, 11]), val: Float32Array.from([0.5, 1.5, -2, 1]) };
    expect(Array.from(coarseInputs(x, { ...layout, taskTypes: [...layout.taskTypes] }, new Float64Array(4)))).toEqual([1.5, -2, 0, 1]);
  });
});
