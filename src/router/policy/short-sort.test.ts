import { describe, expect, it } from 'vitest';
import { sortShort } from './short-sort.ts';

/** A deterministic [0, 1) stream (LCG), so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('sortShort', () => {
  it('orders exactly as Array.prototype.sort, ties within an epsilon and NaN included', () => {
    const random = lcg(7);
    for (let trial = 0; trial < 4000; trial++) {
      const n = Math.floor(random() * 70);
      const eps = [0, 0.05, 0.2][trial % 3]!;
      const items = Array.from({ length: n }, (_, id) => ({ id, s: Math.floor(random() * 10) / 10, q: random() < 0.2 ? Number.NaN : random() }));
      const by = (x: number, y: number) => (Math.abs(x - y) < eps ? 0 : x - y);
      const compare = (a: (typeof items)[number], b: (typeof items)[number]) => by(b.s, a.s) || by(a.q, b.q);
      expect(sortShort(items.slice(), compare).map((x) => x.id)).toEqual(
        items
          .slice()
          .sort(compare)
          .map((x) => x.id),
      );
    }
  });

  it('orders as Array.prototype.sort for a comparator that is not transitive', () => {
    const random = lcg(11);
    for (let trial = 0; trial < 2000; trial++) {
      const n = Math.floor(random() * 64);
      const salt = Math.floor(random() * 1e9);
      // Antisymmetric but arbitrary: each pair's order comes from a hash of the pair.
      const compare = (x: number, y: number) => {
        if (x === y) return 0;
        const h = Math.imul(Math.min(x, y) * 7919 + Math.max(x, y) * 104729 + salt, 2654435761) >>> 0;
        return x < y ? (h % 3) - 1 : 1 - (h % 3);
      };
      const ids = Array.from({ length: n }, (_, i) => i);
      expect(sortShort(ids.slice(), compare)).toEqual(ids.slice().sort(compare));
    }
  });
});
