import { ceilTo, DAY_MS, floorTo, HOUR_MS } from './cell-sql.ts';

/** Where one stretch of a window is read from: the raw request rows, the hourly or the daily rollup. */
export interface WindowSegment {
  source: 'raw' | 'hourly' | 'daily';
  fromMs: number;
  toMs: number;
}

export interface RollupCoverage {
  /** Every hour before this is in the hourly rollup; null before the first rollup. */
  hourlyThroughMs: number | null;
  /** Every day before this is in the daily rollup; null before the first daily rollup. */
  dailyThroughMs: number | null;
}

/**
 * Splits [fromMs, toMs) into stretches that add up to it exactly: whole days the daily rollup holds
 * (when `useDaily`), whole hours the hourly rollup holds around them, and the raw rows for the partial
 * hours at the edges and for the hours not rolled up yet. Empty stretches are left out.
 */
export function windowSegments(range: { fromMs: number; toMs: number }, coverage: RollupCoverage, useDaily: boolean): WindowSegment[] {
  const { fromMs, toMs } = range;
  const hourStart = ceilTo(fromMs, HOUR_MS);
  const hourEnd = Math.min(floorTo(toMs, HOUR_MS), coverage.hourlyThroughMs ?? Number.NEGATIVE_INFINITY);
  if (!(hourEnd > hourStart)) return toMs > fromMs ? [{ source: 'raw', fromMs, toMs }] : [];
  const dayStart = ceilTo(hourStart, DAY_MS);
  const dayEnd = Math.min(floorTo(hourEnd, DAY_MS), coverage.dailyThroughMs ?? Number.NEGATIVE_INFINITY);
  const segments: WindowSegment[] = [
    { source: 'raw', fromMs, toMs: hourStart },
    ...(useDaily && dayEnd > dayStart
      ? ([
          { source: 'hourly', fromMs: hourStart, toMs: dayStart },
          { source: 'daily', fromMs: dayStart, toMs: dayEnd },
          { source: 'hourly', fromMs: dayEnd, toMs: hourEnd },
        ] as const)
      : ([{ source: 'hourly', fromMs: hourStart, toMs: hourEnd }] as const)),
    { source: 'raw', fromMs: hourEnd, toMs },
  ];
  return segments.filter((s) => s.toMs > s.fromMs);
}
