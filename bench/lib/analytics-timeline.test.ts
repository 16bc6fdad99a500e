import { describe, expect, it } from 'vitest';
import { HOUR_MS, hourlyRequestCounts, trafficWeightAt } from './analytics-timeline.ts';

const END_MS = Date.UTC(2026, 10, 30, 12, 30); // a Monday, 12:30 UTC

describe('hourlyRequestCounts', () => {
  it('splits the requests exactly over whole hours ending at the hour holding the end', () => {
    const slots = hourlyRequestCounts(100_003, 30, END_MS);
    expect(slots).toHaveLength(720);
    expect(slots.reduce((s, h) => s + h.requests, 0)).toBe(100_003);
    expect(slots.at(-1)?.startMs).toBe(Date.UTC(2026, 10, 30, 12));
    expect(slots.every((h, i) => i === 0 || h.startMs - (slots[i - 1]?.startMs ?? 0) === HOUR_MS)).toBe(true);
  });

  it('follows the traffic shape: afternoons above nights, weekdays above weekends', () => {
    expect(trafficWeightAt(Date.UTC(2026, 10, 30, 15))).toBeGreaterThan(trafficWeightAt(Date.UTC(2026, 10, 30, 3)));
    expect(trafficWeightAt(Date.UTC(2026, 10, 30, 15))).toBeGreaterThan(trafficWeightAt(Date.UTC(2026, 10, 29, 15)));
    const slots = hourlyRequestCounts(10_000, 7, END_MS);
    const at = (ms: number) => slots.find((s) => s.startMs === ms)?.requests ?? 0;
    expect(at(Date.UTC(2026, 10, 27, 15))).toBeGreaterThan(at(Date.UTC(2026, 10, 27, 3)));
  });

  it('gives every hour a count even when there are fewer requests than hours', () => {
    const slots = hourlyRequestCounts(5, 1, END_MS);
    expect(slots).toHaveLength(24);
    expect(slots.reduce((s, h) => s + h.requests, 0)).toBe(5);
  });
});
