import { describe, expect, it } from 'vitest';
import { BusyKeys, maxLeaseTokens } from './busy-keys.ts';

describe('BusyKeys', () => {
  it('calls a key busy at its second request within the window, not after it', () => {
    const busy = new BusyKeys(1_000);
    expect(busy.isBusy('k', 0)).toBe(false);
    expect(busy.isBusy('k', 1_000)).toBe(true);
    expect(busy.isBusy('other', 1_000)).toBe(false);
    busy.forget('k');
    expect(busy.isBusy('k', 1_100)).toBe(false);
    expect(busy.isBusy('k', 2_101)).toBe(false);
  });

  it('sizes a lease to a quarter second of the rate', () => {
    expect(maxLeaseTokens(6_000)).toBe(25);
    expect(maxLeaseTokens(479)).toBe(1);
  });
});
