type HeaderBag = Record<string, string | string[] | undefined>;

function headerValue(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI, more precise, so preferred)
 * or `retry-after` (delta-seconds or an HTTP date). Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(headers: HeaderBag, nowMs: number = Date.now()): number | undefined {
  const msHeader = headerValue(headers, 'retry-after-ms');
  if (msHeader !== undefined) {
    const ms = Number(msHeader);
    if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  const header = headerValue(headers, 'retry-after');
  if (header === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(header)) return Math.round(Number(header) * 1000);
  const dateMs = Date.parse(header);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
