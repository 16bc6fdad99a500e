/** Memory samples of a soak run and what they say about growth after warm-up. */
export interface MemorySample {
  /** Seconds since the load started. */
  atS: number;
  rssBytes: number;
  /** V8 heap in use (live objects and garbage not yet collected). */
  heapUsedBytes: number;
}

export interface MemoryGrowth {
  /** Least-squares slope over the samples from `fromS` on, in MB per minute. */
  slopeMbPerMin: number;
  /** The fitted line's value at `fromS` and at the last sample, and the growth between them. */
  fittedStartBytes: number;
  fittedEndBytes: number;
  growthPct: number;
  samples: number;
}

/**
 * Growth of the fitted line from `fromS` to the last sample of the measure `bytesOf` picks: a line
 * through every sample after warm-up, not the two end points, so one garbage collection at either
 * end does not decide it.
 */
export function growthAfter<S extends { atS: number }>(samples: readonly S[], fromS: number, bytesOf: (s: S) => number): MemoryGrowth {
  const used = samples.filter((s) => s.atS >= fromS);
  if (used.length < 2) throw new Error(`need two samples from ${fromS} s on, got ${used.length}`);
  const n = used.length;
  const meanX = used.reduce((a, s) => a + s.atS, 0) / n;
  const meanY = used.reduce((a, s) => a + bytesOf(s), 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of used) {
    sxy += (s.atS - meanX) * (bytesOf(s) - meanY);
    sxx += (s.atS - meanX) ** 2;
  }
  const slopePerS = sxx === 0 ? 0 : sxy / sxx;
  const first = used[0] as S;
  const last = used[n - 1] as S;
  const fittedStartBytes = meanY + slopePerS * (first.atS - meanX);
  const fittedEndBytes = meanY + slopePerS * (last.atS - meanX);
  return {
    slopeMbPerMin: (slopePerS * 60) / 1_048_576,
    fittedStartBytes,
    fittedEndBytes,
    growthPct: ((fittedEndBytes - fittedStartBytes) / fittedStartBytes) * 100,
    samples: n,
  };
}
