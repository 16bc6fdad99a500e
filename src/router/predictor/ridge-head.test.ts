import { describe, expect, it } from 'vitest';
import type { SparseVector } from './feature-vector.ts';
import { fitRidgeHead, idfNorm, inverseDocumentFrequency, ridgeDeviation } from './ridge-head.ts';

const vec = (idx: number[], val: number[]): SparseVector => ({ idx: Uint32Array.from(idx), val: Float32Array.from(val) });

describe('ridge head', () => {
  const buckets = 8;

  it('weights rare buckets up: idf = ln((n + 1)/(df + 1)) + 1', () => {
    const idf = inverseDocumentFrequency([vec([0, 1], [1, 1]), vec([0], [1]), vec([0, 9], [1, 1])], buckets);
    expect(idf[0]).toBeCloseTo(Math.log(4 / 4) + 1, 6);
    expect(idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 6);
    expect(idf[2]).toBeCloseTo(Math.log(4 / 1) + 1, 6);
    // Coordinates ≥ buckets (dense and task features) are not n-grams.
    expect(idf.length).toBe(buckets);
  });

  it('matches the closed form on a one-bucket problem: w = Σxy / (Σx² + l2)', () => {
    const idf = new Float32Array(buckets).fill(1);
    const xs = [vec([2], [1]), vec([2], [1]), vec([2], [1]), vec([3], [1])];
    const ys = [0.5, 0.3, 0.4, -0.2];
    const head = fitRidgeHead(xs, ys, idf, buckets, { l2: 2, iterations: 25 });
    expect(head.weights[2]).toBeCloseTo(1.2 / (3 + 2), 5);
    expect(head.weights[3]).toBeCloseTo(-0.2 / (1 + 2), 5);
  });

  it('learns which n-grams mark a prompt the model gets right, on unit-normalized idf-weighted rows', () => {
    const xs: SparseVector[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 200; i++) {
      const easy = i % 2 === 0;
      xs.push(vec([easy ? 1 : 2, 4 + (i % 3), 8], [0.6, 0.6, 0.5]));
      ys.push(easy ? 0.3 : -0.3);
    }
    const idf = inverseDocumentFrequency(xs, buckets);
    const head = fitRidgeHead(xs, ys, idf, buckets, { l2: 1, iterations: 25 });
    const easy = vec([1, 4], [0.7, 0.7]);
    const hard = vec([2, 4], [0.7, 0.7]);
    const dEasy = ridgeDeviation(head, easy, idfNorm(easy, idf, buckets), buckets);
    const dHard = ridgeDeviation(head, hard, idfNorm(hard, idf, buckets), buckets);
    expect(dEasy).toBeGreaterThan(0.1);
    expect(dHard).toBeLessThan(-0.1);
    // The deviation depends on the direction of the vector, not its length.
    const easyLong = vec([1, 4], [1.4, 1.4]);
    expect(ridgeDeviation(head, easyLong, idfNorm(easyLong, idf, buckets), buckets)).toBeCloseTo(dEasy, 6);
    expect(ridgeDeviation(head, vec([], []), idfNorm(vec([], []), idf, buckets), buckets)).toBe(0);
  });

  it('is deterministic', () => {
    const xs = [vec([0, 1], [0.6, 0.8]), vec([1, 2], [0.8, 0.6]), vec([0, 2], [0.6, 0.8])];
    const idf = inverseDocumentFrequency(xs, buckets);
    const a = fitRidgeHead(xs, [0.2, -0.1, 0.4], idf, buckets, { l2: 1, iterations: 25 });
    const b = fitRidgeHead(xs, [0.2, -0.1, 0.4], idf, buckets, { l2: 1, iterations: 25 });
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });
});
