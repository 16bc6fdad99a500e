import type { Metric } from './report-document.ts';

/** A metric's value as the report prints it, without its source; `signed` prints changes with their +. */
export function formatValue(m: Metric, opts: { signed?: boolean } = {}): string {
  if (m.value === null || !Number.isFinite(m.value)) return 'n/a';
  const v = m.value;
  const sign = opts.signed && v > 0 ? '+' : '';
  switch (m.unit) {
    case 'usd':
      return `${sign}${formatUsd(v)}`;
    case 'ms':
      return `${sign}${Math.abs(v) >= 100 ? Math.round(v) : Number(v.toFixed(1))} ms`;
    case 'percent':
      return `${sign}${Number(v.toFixed(1))}%`;
    case 'ratio':
    case 'score':
      return `${sign}${Number(v.toFixed(3))}`;
    case 'count':
      return `${sign}${Math.round(v).toLocaleString('en-US')}`;
    case 'per_usd':
      return `${sign}${Number(v.toPrecision(3))}/$`;
  }
}

export function formatUsd(v: number): string {
  const abs = Math.abs(v);
  const digits = abs === 0 ? 2 : abs < 0.01 ? 6 : abs < 1 ? 4 : 2;
  return `${v < 0 ? '-' : ''}$${abs.toFixed(digits)}`;
}

/**
 * A reduction metric (positive = less, e.g. `cost_reduction_pct`) as its size and the words for its
 * direction, so a cost increase reads "12.3% higher cost", never "−12.3% lower cost".
 */
export function directionOf(m: Metric, less: string, more: string): { magnitude: Metric; words: string } {
  const v = m.value;
  if (v === null || !Number.isFinite(v) || v === 0) return { magnitude: { ...m, value: v === 0 ? 0 : null }, words: less };
  return { magnitude: { ...m, value: Math.abs(v) }, words: v > 0 ? less : more };
}
