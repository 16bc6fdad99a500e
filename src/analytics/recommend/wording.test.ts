import { describe, expect, it } from 'vitest';
import { costChangeWords, intervalWords, latencyChangeWords, qualityChangeWords, reductionWords } from './wording.ts';

describe('changes in words', () => {
  it('says a cost increase is an increase and a saving a saving, with no sign to misread', () => {
    expect(costChangeWords(-12.34, -0.0123)).toBe('12.3% lower cost ($0.0123 saved over the window)');
    expect(costChangeWords(170.5, 2.5)).toBe('170.5% higher cost ($2.5000 added over the window)');
    expect(costChangeWords(0, 0)).toBe('no cost change');
    expect(reductionWords(-170.5)).toBe('170.5% higher cost');
    expect(reductionWords(25)).toBe('25.0% lower cost');
  });

  it('says a quality drop is a drop and a gain a gain', () => {
    expect(qualityChangeWords(0.85, 0.82)).toBe('0.850 → 0.820 (a drop of 0.030)');
    expect(qualityChangeWords(0.82, 0.85)).toBe('0.820 → 0.850 (a gain of 0.030)');
    expect(qualityChangeWords(0.82, 0.82)).toBe('0.820 → 0.820 (unchanged)');
    expect(qualityChangeWords(null, 0.82)).toBe('n/a → 0.820');
  });

  it('says slower or faster, and gives the interval when there is one', () => {
    expect(latencyChangeWords(12)).toBe('12.0% slower');
    expect(latencyChangeWords(-3)).toBe('3.0% faster');
    expect(intervalWords({ segmentQualityInterval: [0.8, 0.9] })).toBe(', 95% interval 0.800–0.900');
    expect(intervalWords({ segmentQualityInterval: null })).toBe('');
  });
});
