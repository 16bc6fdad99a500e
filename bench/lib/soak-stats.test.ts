import { describe, expect, it } from 'vitest';
import { rssGrowthAfter } from './soak-stats.ts';

describe('rssGrowthAfter', () => {
  it('fits a line through the samples after warm-up', () => {
    const MB = 1_048_576;
    // Warm-up from 100 to 200 MB, then 1 MB a minute with noise that cancels out.
    const samples = [
      { atS: 0, rssBytes: 100 * MB },
      { atS: 60, rssBytes: 200 * MB },
      ...Array.from({ length: 17 }, (_, i) => ({ atS: 120 + i * 30, rssBytes: (200 + i * 0.5 + (i % 2 ? 0.25 : -0.25)) * MB })),
    ];
    const growth = rssGrowthAfter(samples, 120);
    expect(growth.samples).toBe(17);
    expect(growth.slopeMbPerMin).toBeCloseTo(1, 1);
    expect(growth.growthPct).toBeCloseTo((8 / 200) * 100, 0);
  });

  it('refuses fewer than two samples', () => {
    expect(() => rssGrowthAfter([{ atS: 0, rssBytes: 1 }], 0)).toThrow(/two samples/);
  });
});
