/**
 * Requests-per-minute limits per API key with GCRA (generic cell rate algorithm): one number per
 * key, the theoretical arrival time (TAT) of the next request. A key may send `limit` requests
 * at once, then one per 60 s / limit, which is what "N requests per minute" means to a client,
 * without sliding-window logs (O(1) memory and time).
 *
 * Times are integer microseconds and the emission interval is rounded to a whole microsecond, so
 * the burst boundary is exact (no float drift admits or refuses one request too many); the rate
 * error this rounding introduces is below 0.5 µs per request.
 */

export type RateLimitResult = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiter {
  hit(keyId: string, limitPerMin: number, nowMs: number): Promise<RateLimitResult>;
}

const MINUTE_US = 60_000_000;

export interface GcraParams {
  /** Microseconds between requests at the sustained rate. */
  intervalUs: number;
  /** How far ahead of now the TAT may run: (burst − 1) intervals. */
  toleranceUs: number;
}

export function gcraParams(limitPerMin: number): GcraParams {
  if (!Number.isFinite(limitPerMin) || limitPerMin <= 0) throw new RangeError(`invalid rate limit ${limitPerMin}`);
  const intervalUs = Math.max(1, Math.round(MINUTE_US / limitPerMin));
  const burst = Math.max(1, Math.floor(limitPerMin));
  return { intervalUs, toleranceUs: (burst - 1) * intervalUs };
}

export function msToUs(ms: number): number {
  return Math.round(ms * 1_000);
}

/** Retry delays are whole milliseconds, rounded up so a client that waits exactly that long passes. */
export function retryAfterMsFromUs(us: number): number {
  return Math.max(1, Math.ceil(us / 1_000));
}

/** Rate limiter for a single process. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly tatUs = new Map<string, number>();

  constructor(private readonly maxKeys = 100_000) {}

  /** Keys currently holding state (for metrics and tests). */
  get trackedKeys(): number {
    return this.tatUs.size;
  }

  async hit(keyId: string, limitPerMin: number, nowMs: number): Promise<RateLimitResult> {
    return this.hitSync(keyId, limitPerMin, nowMs);
  }

  hitSync(keyId: string, limitPerMin: number, nowMs: number): RateLimitResult {
    const { intervalUs, toleranceUs } = gcraParams(limitPerMin);
    const nowUs = msToUs(nowMs);
    const tat = Math.max(this.tatUs.get(keyId) ?? nowUs, nowUs);
    if (tat - nowUs > toleranceUs) return { ok: false, retryAfterMs: retryAfterMsFromUs(tat - nowUs - toleranceUs) };
    if (this.tatUs.size >= this.maxKeys && !this.tatUs.has(keyId)) this.forgetIdle(nowUs);
    this.tatUs.set(keyId, tat + intervalUs);
    return { ok: true };
  }

  /** A key whose TAT has passed is indistinguishable from a new key, so dropping it is free. */
  private forgetIdle(nowUs: number): void {
    for (const [key, tat] of this.tatUs) if (tat <= nowUs) this.tatUs.delete(key);
  }
}
