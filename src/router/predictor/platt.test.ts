import { describe, expect, it } from 'vitest';
import { fitPlatt } from './platt.ts';

describe('fitPlatt', () => {
  it('keeps calibrated logits near the identity', () => {
    // Labels drawn exactly at the rates σ(z) implies: 3 of 4 right at z = ln 3, 1 of 4 at z = -ln 3.
    const z = Math.log(3);
    const logits = [z, z, z, z, -z, -z, -z, -z];
    const labels = [1, 1, 1, 0, 0, 0, 0, 1];
    const { scale, offset } = fitPlatt(logits, labels, 1e-6);
    expect(scale).toBeCloseTo(1, 3);
    expect(offset).toBeCloseTo(0, 3);
  });

  it('shrinks overconfident logits', () => {
    const logits = [4, 4, 4, 4, -4, -4, -4, -4];
    const labels = [1, 1, 1, 0, 0, 0, 0, 1];
    const { scale } = fitPlatt(logits, labels, 1e-6);
    expect(scale).toBeCloseTo(Math.log(3) / 4, 3);
  });
});
