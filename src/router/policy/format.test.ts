import { describe, expect, it } from 'vitest';
import { formatRatio, formatUsd } from './format.ts';

describe('formatUsd', () => {
  it('keeps two significant digits under a dollar and cents above', () => {
    expect(formatUsd(0.000176)).toBe('$0.00018');
    expect(formatUsd(1.8e-7)).toBe('$0.00000018');
    expect(formatUsd(0.015)).toBe('$0.015');
    expect(formatUsd(0.2)).toBe('$0.2');
    expect(formatUsd(2.5)).toBe('$2.50');
    expect(formatUsd(0)).toBe('$0');
  });
});

describe('formatRatio', () => {
  it('rounds big ratios and keeps a decimal for small ones', () => {
    expect(formatRatio(16.67)).toBe('17×');
    expect(formatRatio(2.46)).toBe('2.5×');
  });
});
