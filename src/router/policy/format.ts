/** Dollar amounts in rationales and reasons: two significant digits under a dollar ($0.00018). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  const decimals = Math.min(12, 1 - Math.floor(Math.log10(usd)));
  return `$${usd.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** "14×" for big ratios, "2.5×" for small ones. */
export function formatRatio(ratio: number): string {
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}
