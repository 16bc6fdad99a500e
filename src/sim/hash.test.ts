import { describe, expect, it } from 'vitest';
import { normalCdf } from '../util/normal-distribution.ts';
import { fnv1a32, hashNormal, hashUniform, mulberry32 } from './hash.ts';

describe('simulator hashing', () => {
  it('is stable across runs (answers must not change between versions by accident)', () => {
    expect(fnv1a32('')).toBe(fnv1a32(''));
    expect(hashUniform('seed', 1, 'prompt')).toBe(hashUniform('seed', 1, 'prompt'));
    expect(hashUniform('a', 'bc')).not.toBe(hashUniform('ab', 'c'));
  });

  it('spreads prompts that differ only in their last character evenly over [0, 1)', () => {
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 50_000; i++) buckets[Math.floor(hashUniform(`prompt ${i}`) * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 5_000)).toBeLessThan(250);
  });

  it('gives standard normals and a matching CDF', () => {
    let sum = 0;
    let sq = 0;
    let below = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const z = hashNormal('z', i);
      sum += z;
      sq += z * z;
      if (z < 1) below++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    expect(Math.abs(below / n - normalCdf(1))).toBeLessThan(0.01);
  });

  it('mulberry32 repeats for the same seed', () => {
    const a = mulberry32(3);
    const b = mulberry32(3);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
