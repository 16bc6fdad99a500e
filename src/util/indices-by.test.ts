import { describe, expect, it } from 'vitest';
import { indicesBy } from './indices-by.ts';

describe('indicesBy', () => {
  it('groups positions by key, keeping the order of the items', () => {
    const groups = indicesBy(['a1', 'b1', 'a2', 'c1', 'b2'], (s) => s[0]);
    expect([...groups.entries()]).toEqual([
      ['a', [0, 2]],
      ['b', [1, 4]],
      ['c', [3]],
    ]);
  });

  it('gives an empty map for no items', () => {
    expect(indicesBy([], (x: number) => x).size).toBe(0);
  });
});
