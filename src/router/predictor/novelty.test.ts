import { describe, expect, it } from 'vitest';
import { inverseDocumentFrequency } from './ridge-head.ts';
import { leaveOneOutNovelty, maxOf, noveltyOf, percentileOf, quantiles101 } from './novelty.ts';

const vec = (pairs: Array<[number, number]>) => ({ idx: Uint32Array.from(pairs.map((p) => p[0])), val: Float32Array.from(pairs.map((p) => p[1])) });

describe('novelty', () => {
  const training = [
    vec([[0, 1]]),
    vec([
      [0, 0.6],
      [1, 0.8],
    ]),
    vec([
      [0, 0.8],
      [2, 0.6],
    ]),
  ];
  const idf = inverseDocumentFrequency(training, 8);
  const max = maxOf(idf);

  it('is 0 for an n-gram every training prompt has and 1 for one none has', () => {
    expect(noveltyOf(vec([[0, 1]]), idf, max, 8)).toBeCloseTo(0, 9);
    expect(noveltyOf(vec([[5, 1]]), idf, max, 8)).toBeCloseTo(1, 9);
    // Mass-weighted in between: half the squared mass unseen.
    expect(
      noveltyOf(
        vec([
          [0, Math.SQRT1_2],
          [5, Math.SQRT1_2],
        ]),
        idf,
        max,
        8,
      ),
    ).toBeCloseTo(0.5, 6);
    // A prompt with no n-grams at all is as novel as can be.
    expect(noveltyOf(vec([]), idf, max, 8)).toBe(1);
  });

  it('leaves each training row out of the frequencies its own novelty is measured with', () => {
    const u = leaveOneOutNovelty(training, 8);
    // Row 0 only has bucket 0, which both other rows have: familiar.
    expect(u[0]).toBeCloseTo(0, 9);
    // Row 1's bucket 1 is in no other row: its share 0.64 of the mass counts as unseen, bucket 0 not at all.
    expect(u[1]!).toBeCloseTo(0.64, 5);
  });

  it('turns a value into its percentile among quantiles', () => {
    const q = quantiles101(Array.from({ length: 1001 }, (_, i) => i / 1000));
    expect(percentileOf(0.25, q)).toBeCloseTo(0.25, 2);
    expect(percentileOf(-1, q)).toBe(0);
    expect(percentileOf(2, q)).toBe(1);
  });
});
