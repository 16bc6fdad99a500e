import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatencies } from './latency-stats.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
  });

  it('is NaN for no values and rejects percentiles outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically (not as strings) and summarizes', () => {
    const s = summarizeLatencies([10, 9, 1.5, 100, 2]);
    expect(s).toEqual({ count: 5, meanMs: 24.5, p50Ms: 9, p90Ms: 100, p99Ms: 100, maxMs: 100 });
  });

  it('keeps sub-millisecond precision', () => {
    const s = summarizeLatencies([0.25, 0.5, 0.75, 0.125]);
    expect(s.p50Ms).toBe(0.25);
    expect(s.maxMs).toBe(0.75);
  });
});
