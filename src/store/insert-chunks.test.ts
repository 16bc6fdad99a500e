import { describe, expect, it } from 'vitest';
import { chunkRowsForParams, POSTGRES_MAX_PARAMS, SQLITE_MAX_PARAMS } from './insert-chunks.ts';

describe('chunkRowsForParams', () => {
  it('keeps every chunk under the parameter limit and every row in order', () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ a: i, b: 'x', c: null }));
    const chunks = [...chunkRowsForParams(rows, 10)];
    expect(chunks.map((c) => c.length)).toStrictEqual([3, 3, 2]);
    expect(chunks.flat()).toStrictEqual(rows);
  });

  it('sizes chunks from the column count for each dialect limit', () => {
    const wide = Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`c${i}`, i]));
    const rows = Array.from({ length: 5_000 }, () => wide);
    expect([...chunkRowsForParams(rows, SQLITE_MAX_PARAMS)].map((c) => c.length)).toStrictEqual([1_170, 1_170, 1_170, 1_170, 320]);
    expect([...chunkRowsForParams(rows, POSTGRES_MAX_PARAMS)].map((c) => c.length)).toStrictEqual([2_340, 2_340, 320]);
  });

  it('yields nothing for no rows', () => {
    expect([...chunkRowsForParams([], SQLITE_MAX_PARAMS)]).toStrictEqual([]);
  });
});
