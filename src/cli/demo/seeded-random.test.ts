import { describe, expect, it } from 'vitest';
import { createPicker, seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = Array.from({ length: 5 }, seededRandom(42));
    const b = Array.from({ length: 5 }, seededRandom(42));
    const c = Array.from({ length: 5 }, seededRandom(43));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('createPicker', () => {
  it('draws integers in range, distinct subsets, and refuses empty lists', () => {
    const pick = createPicker(seededRandom(7));
    const ints = Array.from({ length: 500 }, () => pick.int(3, 6));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6]));
    const subset = pick.some(['a', 'b', 'c', 'd', 'e'], 3);
    expect(subset).toHaveLength(3);
    expect(new Set(subset).size).toBe(3);
    expect(pick.some(['a', 'b'], 5).sort()).toEqual(['a', 'b']);
    expect(() => pick.one([])).toThrow(RangeError);
  });
});
