import { describe, expect, it } from 'vitest';
import { KeysRequired } from './keys-required.ts';

describe('KeysRequired.peek', () => {
  it("answers without the store only while get()'s answer is fresh, and true for good", async () => {
    let nowMs = 1_000;
    let active = false;
    const required = new KeysRequired({ anyActiveKey: () => Promise.resolve(active), ttlMs: 100, nowMs: () => nowMs });
    expect(required.peek()).toBeUndefined();
    expect(await required.get()).toBe(false);
    expect(required.peek()).toBe(false);
    nowMs += 100;
    expect(required.peek()).toBeUndefined();
    expect(await required.get()).toBe(false);
    required.invalidate();
    expect(required.peek()).toBeUndefined();
    active = true;
    expect(await required.get()).toBe(true);
    active = false;
    nowMs += 1_000_000;
    expect(required.peek()).toBe(true);
  });
});
