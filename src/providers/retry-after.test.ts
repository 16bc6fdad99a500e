import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './retry-after.ts';

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds, including fractions', () => {
    expect(parseRetryAfterMs({ 'retry-after': '20' })).toBe(20_000);
    expect(parseRetryAfterMs({ 'retry-after': '1.5' })).toBe(1_500);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfterMs({ 'retry-after': '2', 'retry-after-ms': '1234.6' })).toBe(1_235);
  });

  it('reads an HTTP date relative to now and never goes negative', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:27:00 GMT' }, now)).toBe(0);
  });

  it('matches header names case-insensitively and takes the first of repeated values', () => {
    expect(parseRetryAfterMs({ 'Retry-After': ['3', '9'] })).toBe(3_000);
  });

  it('returns undefined for absent or garbage values', () => {
    expect(parseRetryAfterMs({})).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after-ms': '-5' })).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': undefined })).toBeUndefined();
  });
});
