/**
 * When the benchmark's requests happen: a diurnal and weekly shape over whole UTC hours, with the
 * request count split exactly (largest remainder) so a seed and a size always give the same hours.
 */
export const HOUR_MS = 3_600_000;

/** Relative traffic per UTC hour of day: quiet at night, a peak in the European/US afternoon overlap. */
const HOUR_OF_DAY_WEIGHT = [
  0.25, 0.2, 0.18, 0.18, 0.2, 0.3, 0.45, 0.65, 0.85, 1.0, 1.1, 1.15, 1.2, 1.3, 1.45, 1.5, 1.4, 1.25, 1.05, 0.9, 0.75, 0.6, 0.45, 0.35,
] as const;
/** Sunday … Saturday (epoch day 0 was a Thursday). */
const WEEKDAY_WEIGHT = [0.45, 1.05, 1.1, 1.1, 1.05, 1.0, 0.5] as const;

export interface HourSlot {
  startMs: number;
  requests: number;
}

export function trafficWeightAt(hourStartMs: number): number {
  const hourOfDay = Math.floor(hourStartMs / HOUR_MS) % 24;
  const weekday = (Math.floor(hourStartMs / 86_400_000) + 4) % 7;
  return (HOUR_OF_DAY_WEIGHT[hourOfDay] ?? 1) * (WEEKDAY_WEIGHT[weekday] ?? 1);
}

/**
 * `requests` split over the `days × 24` whole hours ending at the hour holding `endMs`, in time
 * order, proportional to the traffic weight; the counts add up to `requests` exactly.
 */
export function hourlyRequestCounts(requests: number, days: number, endMs: number): HourSlot[] {
  const hours = Math.max(1, Math.round(days * 24));
  const lastHourMs = Math.floor((endMs - 1) / HOUR_MS) * HOUR_MS;
  const starts = Array.from({ length: hours }, (_, i) => lastHourMs - (hours - 1 - i) * HOUR_MS);
  const weights = starts.map(trafficWeightAt);
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (requests * w) / totalWeight);
  const counts = exact.map(Math.floor);
  let left = requests - counts.reduce((s, n) => s + n, 0);
  const byRemainder = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left -= 1;
  }
  return starts.map((startMs, i) => ({ startMs, requests: counts[i] ?? 0 }));
}
