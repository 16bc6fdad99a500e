/** Display formats of the dashboard; units follow the analyses' field names (`*_usd`, `*_ms`, shares 0–1). */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return 'n/a';
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 100) return `$${usd.toFixed(0)}`;
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  // Small amounts keep three significant digits: per-request costs are often fractions of a cent.
  return `$${usd.toPrecision(3)}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return 'n/a';
  return `${(share * 100).toFixed(1)}%`;
}

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US');
}

export function formatQuality(q: number | null | undefined): string {
  if (q === null || q === undefined || !Number.isFinite(q)) return 'n/a';
  return q.toFixed(3);
}
