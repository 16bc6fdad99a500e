import type { ExpectedImpact } from './types.ts';

// Changes in words whose direction is in the words, not in a sign: under goal quality a rule may add
// cost, under goal cost it may lower quality, and "−12% lower cost" or "+$0.01 saved" reads wrong.

/** "12.0% lower cost ($0.0123 saved over the window)", "12.0% higher cost ($0.0123 added …)", or "no cost change". */
export function costChangeWords(pct: number, usd: number): string {
  if (Math.abs(usd) < 5e-7 && Math.abs(pct) < 0.05) return 'no cost change';
  const lower = usd < 0;
  return `${Math.abs(pct).toFixed(1)}% ${lower ? 'lower' : 'higher'} cost ($${Math.abs(usd).toFixed(4)} ${lower ? 'saved' : 'added'} over the window)`;
}

/** "0.850 → 0.820 (a drop of 0.030)", "… (a gain of 0.030)", "… (unchanged)"; "n/a" without both ends. */
export function qualityChangeWords(before: number | null, after: number | null): string {
  if (before === null || after === null) return `${before?.toFixed(3) ?? 'n/a'} → ${after?.toFixed(3) ?? 'n/a'}`;
  const delta = after - before;
  const words = Math.abs(delta) < 0.0005 ? 'unchanged' : `a ${delta < 0 ? 'drop' : 'gain'} of ${Math.abs(delta).toFixed(3)}`;
  return `${before.toFixed(3)} → ${after.toFixed(3)} (${words})`;
}

/** "5.0% faster", "5.0% slower", or "latency unchanged". */
export function latencyChangeWords(pct: number): string {
  if (Math.abs(pct) < 0.05) return 'latency unchanged';
  return `${Math.abs(pct).toFixed(1)}% ${pct < 0 ? 'faster' : 'slower'}`;
}

/** A cost reduction in percent (positive: less spend) as "12.0% lower cost" or "3.0% higher cost". */
export function reductionWords(reductionPct: number): string {
  if (Math.abs(reductionPct) < 0.05) return 'no cost change';
  return `${Math.abs(reductionPct).toFixed(1)}% ${reductionPct > 0 ? 'lower' : 'higher'} cost`;
}

/** The 95% interval of the matched requests' expected quality, in words. */
export function intervalWords(i: Pick<ExpectedImpact, 'segmentQualityInterval'>): string {
  const range = i.segmentQualityInterval;
  return range ? `, 95% interval ${range[0].toFixed(3)}–${range[1].toFixed(3)}` : '';
}
