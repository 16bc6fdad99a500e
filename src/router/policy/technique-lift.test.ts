import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile } from '../../util/normal-distribution.ts';
import { mulberry32 } from '../../util/seeded-random.ts';
import { correlatedVoteSuccess, liftedQuality, MAX_LIFTED_QUALITY, pluralityVoteSuccess, SHARED_VARIANCE, voteModel, WRONG_ANSWERS } from './technique-lift.ts';

describe('pluralityVoteSuccess', () => {
  it('is the per-sample probability for a single sample', () => {
    for (const p of [0, 0.3, 0.77, 1]) expect(pluralityVoteSuccess(voteModel(1), p)).toBeCloseTo(p, 12);
  });

  it('matches the hand count for k = 3 with three wrong answers', () => {
    // 3 right or 2 right win; 1 right wins only when the 2 wrong votes split (2/3 of the time) and the
    // three-way tie is broken its way (1/3): p³ + 3p²q + 3pq²·(2/9).
    const p = 0.5;
    const q = 1 - p;
    expect(pluralityVoteSuccess(voteModel(3), p)).toBeCloseTo(p ** 3 + 3 * p ** 2 * q + 3 * p * q ** 2 * (2 / 9), 12);
  });

  it('is 0 and 1 at the ends and grows with the per-sample probability', () => {
    const model = voteModel(5);
    expect(pluralityVoteSuccess(model, 0)).toBe(0);
    expect(pluralityVoteSuccess(model, 1)).toBeCloseTo(1, 12);
    let previous = -1;
    for (let p = 0; p <= 1; p += 0.05) {
      const v = pluralityVoteSuccess(model, p);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
  });

  it('gains more from more samples when a sample is more often right than any one wrong answer', () => {
    expect(pluralityVoteSuccess(voteModel(9), 0.45)).toBeGreaterThan(pluralityVoteSuccess(voteModel(5), 0.45));
    expect(pluralityVoteSuccess(voteModel(5), 0.45)).toBeGreaterThan(0.45);
  });
});

/** Draws the process the model describes: shared difficulty per prompt, own noise per sample, plurality with random tie-breaks. */
function simulateVotes(p: number, k: number, trials: number, seed: number): number {
  const rand = mulberry32(seed);
  const normal = () => normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, rand())));
  const threshold = normalQuantile(p);
  let wins = 0;
  for (let t = 0; t < trials; t++) {
    const d = normal();
    const counts = new Array<number>(WRONG_ANSWERS + 1).fill(0);
    for (let s = 0; s < k; s++) {
      const right = Math.sqrt(SHARED_VARIANCE) * d + Math.sqrt(1 - SHARED_VARIANCE) * normal() < threshold;
      counts[right ? 0 : 1 + Math.floor(rand() * WRONG_ANSWERS)]! += 1;
    }
    const top = Math.max(...counts);
    if (counts[0] === top) wins += 1 / counts.filter((c) => c === top).length;
  }
  return wins / trials;
}

describe('correlatedVoteSuccess', () => {
  it('agrees with a simulation of the process it models', () => {
    for (const p of [0.45, 0.65, 0.8]) expect(correlatedVoteSuccess(voteModel(5), p)).toBeCloseTo(simulateVotes(p, 5, 40_000, 11), 2);
  });

  it('gains less than independent samples would', () => {
    const model = voteModel(5);
    expect(correlatedVoteSuccess(model, 0.65)).toBeLessThan(pluralityVoteSuccess(model, 0.65));
    expect(correlatedVoteSuccess(model, 0.65)).toBeGreaterThan(0.65);
  });

  it('uses a normal CDF and quantile that invert each other', () => {
    for (const p of [0.001, 0.1, 0.5, 0.77, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe('liftedQuality', () => {
  it('reads the correlated vote success from its table', () => {
    const model = voteModel(5);
    for (const p of [0.3, 0.6, 0.7125]) expect(liftedQuality(model, p)).toBeCloseTo(correlatedVoteSuccess(model, p), 4);
  });

  it('gives the k = 5 values docs/router-policy.md quotes', () => {
    const model = voteModel(5);
    expect([0.45, 0.65, 0.8].map((p) => liftedQuality(model, p).toFixed(2))).toEqual(['0.53', '0.76', '0.90']);
  });

  it('is capped, and never below the plain prediction', () => {
    const model = voteModel(15);
    expect(liftedQuality(model, 0.93)).toBe(MAX_LIFTED_QUALITY);
    expect(liftedQuality(model, 0.97)).toBe(0.97);
    // Too weak to win pluralities against three wrong answers: the vote would hurt, so no lift.
    expect(liftedQuality(voteModel(5), 0.1)).toBe(0.1);
  });
});
