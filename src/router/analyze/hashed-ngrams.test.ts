import { describe, expect, it } from 'vitest';
import { hashPromptNgrams, hashTextNgrams } from './hashed-ngrams.ts';
import { buildLexicon, emptyCounts, scanMarkers } from './marker-scan.ts';

const spec = (w: Partial<Record<'focusWords' | 'focusBigrams' | 'focusChar4' | 'contextWords', number>>) => ({
  buckets: 1 << 12,
  weights: { focusWords: 0, focusBigrams: 0, focusChar4: 0, contextWords: 0, ...w },
});

describe('hashPromptNgrams', () => {
  it('L2-normalizes each namespace and scales it by its weight', () => {
    const v = hashPromptNgrams('alpha beta gamma delta', 'ctx', spec({ focusWords: 2 }));
    const norm = Math.sqrt(Array.from(v.val).reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(2, 5);
    expect(v.idx.length).toBe(4);
  });

  it('ignores case and treats every digit run alike', () => {
    const a = hashPromptNgrams('Compute 12 plus 7', '', spec({ focusWords: 1, focusBigrams: 1 }));
    const b = hashPromptNgrams('compute 345 PLUS 9', '', spec({ focusWords: 1, focusBigrams: 1 }));
    expect(Array.from(a.idx)).toEqual(Array.from(b.idx));
    expect(Array.from(a.val)).toEqual(Array.from(b.val));
  });

  it('returns an empty vector for empty text and leaves no state behind between calls', () => {
    expect(hashPromptNgrams('', '', spec({ focusWords: 1 })).idx.length).toBe(0);
    const first = hashPromptNgrams('one two', '', spec({ focusWords: 1 }));
    hashPromptNgrams('three four five', '', spec({ focusWords: 1 }));
    expect(Array.from(hashPromptNgrams('one two', '', spec({ focusWords: 1 })).val)).toEqual(Array.from(first.val));
  });

  it('hashes context words from the marker scan exactly as from the text', () => {
    const context = "Answer the Question below: what is 3.14 * 20? Don't use_a calculator; see https://x.org (A) 12 (B) 7";
    const counts = scanMarkers(context, buildLexicon([['question']]), emptyCounts(1));
    expect(counts.wordHashCount).toBe(counts.words);
    const w = spec({ focusWords: 1, contextWords: 0.4 });
    const fromText = hashPromptNgrams('what is it', context, w);
    const fromScan = hashPromptNgrams('what is it', counts, w);
    expect(Array.from(fromScan.idx)).toEqual(Array.from(fromText.idx));
    expect(Array.from(fromScan.val)).toEqual(Array.from(fromText.val));
  });

  it('hashes the focus words and bigrams into the text space alone, with the same tokens', () => {
    const text = { buckets: 1 << 16, bigrams: 0.7 };
    const v = hashTextNgrams('Which of the following is NOT a prime 17 number', text);
    // 10 words + 9 bigrams (digit runs share one shape); each namespace unit-normalized, bigrams × 0.7.
    expect(v.idx.length).toBe(19);
    expect(Math.max(...v.idx)).toBeLessThan(1 << 16);
    expect(Array.from(v.val).reduce((s, x) => s + x * x, 0)).toBeCloseTo(1 + 0.49, 5);
    expect(Array.from(hashTextNgrams('which of the following is not a prime 4 NUMBER', text).idx)).toEqual(Array.from(v.idx));
    // The same 32-bit hashes as the shared space, masked wider: a word's bucket there is its text bucket mod 2^12.
    const shared = hashPromptNgrams('prime', '', spec({ focusWords: 1 }));
    expect(shared.idx[0]).toBe(hashTextNgrams('prime', { buckets: 1 << 16, bigrams: 0 }).idx[0]! & ((1 << 12) - 1));
    expect(Array.from(hashTextNgrams('', text).idx)).toEqual([]);
  });
});

describe('hashed vectors, short and long', () => {
  /** Bucket → signed count of the words, from one-word calls: the vector a k-word text must give. */
  function expected(words: readonly string[], buckets: number): Map<number, number> {
    const counts = new Map<number, number>();
    for (const w of words) {
      const one = hashPromptNgrams(w, '', { buckets, weights: { focusWords: 1, focusBigrams: 0, focusChar4: 0, contextWords: 0 } });
      counts.set(one.idx[0]!, (counts.get(one.idx[0]!) ?? 0) + Math.sign(one.val[0]!));
    }
    const norm = Math.sqrt([...counts.values()].reduce((s, c) => s + c * c, 0));
    return new Map([...counts].filter(([, c]) => c !== 0).map(([b, c]) => [b, Math.fround(c / norm)]));
  }

  // 8 and 150 words sort their touched buckets (insertion sort, quicksort); 600 words (past n·log2 n ≥ 2,048) read the bitmap of 2^16 buckets.
  it.each([8, 150, 600])('gives every live bucket once, ascending, with its value (%i distinct words)', (k) => {
    const buckets = 1 << 16;
    const words = Array.from({ length: k }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`);
    const v = hashPromptNgrams(words.join(' '), '', { buckets, weights: { focusWords: 1, focusBigrams: 0, focusChar4: 0, contextWords: 0 } });
    const want = expected(words, buckets);
    expect(Array.from(v.idx)).toEqual([...want.keys()].sort((a, b) => a - b));
    expect(Array.from(v.val)).toEqual(Array.from(v.idx, (b) => want.get(b)));
  });
});

describe('hashed vectors of every size up to the bitmap', () => {
  it.each([1, 2, 17, 40, 90, 180])('come out strictly ascending without zeros (%i distinct words)', (k) => {
    const words = Array.from({ length: k }, (_, i) => `q${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    // Repeats and all three namespaces: the touched list holds duplicates and cancellations.
    const v = hashPromptNgrams(
      `${words.join(' ')} ${words.slice(0, 5).join(' ')}`,
      'context words here',
      spec({ focusWords: 1, focusBigrams: 0.7, focusChar4: 0.7, contextWords: 0.4 }),
    );
    for (let i = 1; i < v.idx.length; i++) expect(v.idx[i]!).toBeGreaterThan(v.idx[i - 1]!);
    expect(Array.from(v.val).every((x) => x !== 0)).toBe(true);
  });
});
