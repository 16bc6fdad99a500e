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
