import { describe, expect, it } from 'vitest';
import { growthAfter } from './soak-stats.ts';

describe('growthAfter', () => {
  const MB = 1_048_576;
  it('fits a line through the samples after warm-up', () => {
    // Warm-up from 100 to 200 MB, then 1 MB a minute with noise that cancels out.
    const samples = [
      { atS: 0, bytes: 100 * MB },
      { atS: 60, bytes: 200 * MB },
      ...Array.from({ length: 17 }, (_, i) => ({ atS: 120 + i * 30, bytes: (200 + i * 0.5 + (i % 2 ? 0.25 : -0.25)) * MB })),
    ];
    const growth = growthAfter(samples, 120, (s) => s.bytes);
    expect(growth.samples).toBe(17);
    expect(growth.slopeMbPerMin).toBeCloseTo(1, 1);
    expect(growth.growthPct).toBeCloseTo((8 / 200) * 100, 0);
  });

  it('reads the measure it is given', () => {
    const samples = [0, 1, 2].map((i) => ({ atS: i * 60, rssBytes: 100 * MB, heapUsedBytes: (50 + i) * MB }));
    expect(growthAfter(samples, 0, (s) => s.rssBytes).slopeMbPerMin).toBe(0);
    expect(growthAfter(samples, 0, (s) => s.heapUsedBytes).slopeMbPerMin).toBeCloseTo(1, 6);
  });

  it('refuses fewer than two samples', () => {
    expect(() => growthAfter([{ atS: 0, bytes: 1 }], 0, (s) => s.bytes)).toThrow(/two samples/);
  });
});
