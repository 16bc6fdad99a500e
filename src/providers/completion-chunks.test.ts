import { describe, expect, it } from 'vitest';
import { answerPieces } from './completion-chunks.ts';

describe('answerPieces', () => {
  it('splits text at whitespace into pieces that join back exactly', () => {
    const long = 'word '.repeat(40) + 'end\nnext line';
    const pieces = answerPieces(long);
    expect(pieces.join('')).toBe(long);
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeLessThanOrEqual(48);
    expect(answerPieces('')).toEqual([]);
  });
});
