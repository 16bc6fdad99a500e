import { describe, expect, it } from 'vitest';
import { dot } from './feature-vector.ts';
import { interleavedDots, interleaveHeads } from './interleaved-heads.ts';
import { createRng } from './rng.ts';

describe('interleaved heads', () => {
  it('give each head the exact dot product of its own array, entries past `rows` left out', () => {
    const rng = createRng(7);
    const features = 300;
    const heads = Array.from({ length: 5 }, () => Float32Array.from({ length: features }, () => rng() * 2 - 1));
    const idx = Uint32Array.from(new Set(Array.from({ length: 80 }, () => Math.floor(rng() * features)))).sort();
    const x = { idx, val: Float32Array.from(idx, () => rng()) };
    const all = interleavedDots(interleaveHeads(heads, features), x, new Float64Array(heads.length));
    expect(Array.from(all)).toEqual(heads.map((w) => dot(w, x)));
    const firstRows = 150;
    const inside = Uint32Array.from(idx.filter((j) => j < firstRows));
    const prefix = { idx: inside, val: Float32Array.from(inside, (j) => x.val[idx.indexOf(j)]!) };
    expect(Array.from(interleavedDots(interleaveHeads(heads, firstRows), x, new Float64Array(heads.length)))).toEqual(heads.map((w) => dot(w, prefix)));
  });
});
