/** Dollar amounts in rationales and reasons: two significant digits under a dollar ($0.00018). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  const decimals = Math.min(12, 1 - Math.floor(Math.log10(usd)));
  return `$${withoutTrailingZeros(usd.toFixed(decimals))}`;
}

/** "0.000180" → "0.00018", "0.50" → "0.5", "1.000" → "1": trailing zeros, then a bare point, go (no regex per rationale). */
function withoutTrailingZeros(fixed: string): string {
  let end = fixed.length;
  while (end > 0 && fixed.charCodeAt(end - 1) === 48) end--;
  if (end > 0 && fixed.charCodeAt(end - 1) === 46) end--;
  return end === fixed.length ? fixed : fixed.slice(0, end);
}

/** "14×" for big ratios, "2.5×" for small ones. */
export function formatRatio(ratio: number): string {
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}
