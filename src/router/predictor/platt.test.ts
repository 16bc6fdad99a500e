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

  it('never inverts the ranking: logits that contradict the labels get scale 0 and the base rate', () => {
    // High logits mostly wrong, low ones mostly right: the unconstrained fit would be a negative scale.
    const logits = [2, 2, 2, 2, -2, -2, -2, -2];
    const labels = [0, 0, 0, 1, 1, 1, 1, 0];
    const { scale, offset } = fitPlatt(logits, labels, 1e-6);
    expect(scale).toBe(0);
    // Half the labels are 1: the constant probability is 0.5.
    expect(offset).toBeCloseTo(0, 4);
    const skewed = fitPlatt(logits, [0, 0, 0, 1, 1, 1, 1, 1], 1e-6);
    expect(skewed.scale).toBe(0);
    expect(1 / (1 + Math.exp(-skewed.offset))).toBeCloseTo(5 / 8, 4);
  });
});
