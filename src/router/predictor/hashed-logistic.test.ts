import { describe, expect, it } from 'vitest';
import { DEFAULT_HASHED_LOGISTIC, fitHashedLogistic } from './hashed-logistic.ts';
import type { SparseVector } from './feature-vector.ts';
import { createRng } from './rng.ts';

describe('fitHashedLogistic', () => {
  // Bucket 3 marks prompts the model gets right, bucket 5 prompts it gets wrong; bucket 9 is noise.
  const rng = createRng(2);
  const vectors: SparseVector[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 600; i++) {
    const good = rng() < 0.5;
    const noise = rng() < 0.5;
    const idx = [good ? 3 : 5, ...(noise ? [9] : [])];
    vectors.push({ idx: Uint32Array.from(idx), val: Float32Array.from(idx.map(() => 1)) });
    labels.push(good ? (rng() < 0.9 ? 1 : 0) : rng() < 0.2 ? 1 : 0);
  }

  it('learns which hashed n-grams predict success and ignores noise', () => {
    const head = fitHashedLogistic(vectors, labels, 16, 12, DEFAULT_HASHED_LOGISTIC, 7);
    expect(head.weights[3]!).toBeGreaterThan(0.4);
    expect(head.weights[5]!).toBeLessThan(-0.4);
    expect(Math.abs(head.weights[9]!)).toBeLessThan(0.1);
  });

  it('is deterministic for a seed', () => {
    const a = fitHashedLogistic(vectors, labels, 16, 12, DEFAULT_HASHED_LOGISTIC, 7);
    const b = fitHashedLogistic(vectors, labels, 16, 12, DEFAULT_HASHED_LOGISTIC, 7);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(a.bias).toBe(b.bias);
  });
});
