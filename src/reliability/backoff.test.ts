import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  it('honours retry-after exactly', () => {
    expect(retryDelayMs(1, { baseMs: 200, maxMs: 5000, retryAfterMs: 1234 })).toBe(1234);
  });
  it('grows exponentially with jitter between half and full, capped', () => {
    expect(retryDelayMs(1, { baseMs: 200, maxMs: 5000 }, () => 0)).toBe(100);
    expect(retryDelayMs(3, { baseMs: 200, maxMs: 5000 }, () => 1)).toBe(800);
    expect(retryDelayMs(10, { baseMs: 200, maxMs: 5000 }, () => 1)).toBe(5000);
  });
});
