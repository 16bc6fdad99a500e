import { describe, expect, it } from 'vitest';
import { overallConfidence } from './build-recommendations.ts';
import type { Confidence } from './types.ts';

const rated = (n: number) => ({ rows: Array.from({ length: n }, () => ({ quality: 0.9 }) as never) });
const recs = (...levels: Confidence[]) => levels.map((confidence) => ({ confidence }));

describe('overallConfidence', () => {
  it('is never higher than the most confident recommendation', () => {
    // 300 rated requests and no gaps would be "high", but five changes rated medium and low are not.
    expect(overallConfidence(rated(300), [], recs('medium', 'low', 'low', 'medium', 'low'))).toBe('medium');
    expect(overallConfidence(rated(300), [], recs('low', 'low'))).toBe('low');
    expect(overallConfidence(rated(300), [], recs('high', 'low'))).toBe('high');
  });

  it('is what the data supports when there is nothing to cap it', () => {
    expect(overallConfidence(rated(300), [], [])).toBe('high');
    expect(overallConfidence(rated(50), [], recs('high'))).toBe('medium');
    expect(overallConfidence(rated(300), ['only 12 routed requests'], recs('high'))).toBe('low');
  });
});
