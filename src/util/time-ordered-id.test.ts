import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUIDv7 whose first 48 bits are the time in ms', () => {
    const nowMs = Date.UTC(2026, 11, 6, 12, 0, 0, 123);
    const id = timeOrderedId(nowMs);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(nowMs);
  });

  it('sorts by creation time and never repeats', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => timeOrderedId(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    const byTime = ids.map((id) => id.slice(0, 13));
    expect([...byTime].sort()).toEqual(byTime);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('keeps the last two hex digits uniform, as sampling by id suffix assumes', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 25_600; i++) {
      const suffix = timeOrderedId(1_700_000_000_000).slice(-2);
      counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
    }
    expect(counts.size).toBe(256);
    // 100 expected per suffix; a uniform source stays far inside these bounds.
    for (const n of counts.values()) expect(n).toBeGreaterThan(40);
  });
});
