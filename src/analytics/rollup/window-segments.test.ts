import { describe, expect, it } from 'vitest';
import { windowSegments } from './window-segments.ts';

const H = 3_600_000;
const D = 24 * H;
const day0 = Date.UTC(2026, 10, 1);

describe('windowSegments', () => {
  it('reads everything raw before the first rollup', () => {
    expect(windowSegments({ fromMs: day0, toMs: day0 + 3 * D }, { hourlyThroughMs: null, dailyThroughMs: null }, true)).toEqual([
      { source: 'raw', fromMs: day0, toMs: day0 + 3 * D },
    ]);
  });

  it('composes partial hours, hours and whole days, adding up to the window', () => {
    const fromMs = day0 + 5 * H + 10 * 60_000;
    const toMs = day0 + 3 * D + 7 * H + 20 * 60_000;
    const segments = windowSegments({ fromMs, toMs }, { hourlyThroughMs: day0 + 3 * D + 6 * H, dailyThroughMs: day0 + 2 * D }, true);
    expect(segments).toEqual([
      { source: 'raw', fromMs, toMs: day0 + 6 * H },
      { source: 'hourly', fromMs: day0 + 6 * H, toMs: day0 + D },
      { source: 'daily', fromMs: day0 + D, toMs: day0 + 2 * D },
      { source: 'hourly', fromMs: day0 + 2 * D, toMs: day0 + 3 * D + 6 * H },
      { source: 'raw', fromMs: day0 + 3 * D + 6 * H, toMs },
    ]);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.fromMs).toBe(segments[i - 1]!.toMs);
  });

  it('keeps hours when the caller needs them, or when no whole day is covered', () => {
    const range = { fromMs: day0, toMs: day0 + 2 * D };
    const coverage = { hourlyThroughMs: day0 + 2 * D, dailyThroughMs: day0 + 2 * D };
    expect(windowSegments(range, coverage, false)).toEqual([{ source: 'hourly', fromMs: day0, toMs: day0 + 2 * D }]);
    expect(windowSegments({ fromMs: day0 + H, toMs: day0 + D + 2 * H }, coverage, true)).toEqual([
      { source: 'hourly', fromMs: day0 + H, toMs: day0 + D + 2 * H },
    ]);
    expect(windowSegments(range, coverage, true)).toEqual([{ source: 'daily', fromMs: day0, toMs: day0 + 2 * D }]);
  });

  it('gives nothing for an empty window', () => {
    expect(windowSegments({ fromMs: day0, toMs: day0 }, { hourlyThroughMs: day0 + D, dailyThroughMs: null }, true)).toEqual([]);
  });
});
