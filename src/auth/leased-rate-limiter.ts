import type { RateLimiter, RateLimitResult } from './rate-limiter.ts';
import type { RedisRateLimiter } from './redis-rate-limiter.ts';
import { BusyKeys, MAX_LEASES, TOKEN_HOLD_MS, maxLeaseTokens } from './busy-keys.ts';

/**
 * Per-replica token leases over the Redis rate limiter, for keys with a rate limit and no budget (a
 * key with a budget gets its tokens with its budget lease, budget-lease.ts): a replica serving a busy
 * key takes a few of its GCRA tokens in one script and admits the key's requests against them in
 * memory, with no Redis round trip before the upstream call. The lease takes its next tokens in the
 * background when half are used, and gives back what it holds after `leaseTtlMs / 4` without requests
 * and at close.
 *
 * Correctness bound, as for budget leases: a token is a request GCRA admitted when it was taken, so
 * the requests admitted in any interval are at most those GCRA admitted in it plus the tokens held
 * when it began: the limit can be exceeded by at most the tokens each replica holds, a quarter second
 * of the key's sustained rate (keys whose quarter second is under 2 requests, under 480 rpm, are not
 * leased). A trip is never resent: one that fails may or may not have been applied, and counting its
 * tokens as taken and its returned tokens as given back is the safe side either way.
 */

export interface LeasedRateLimiterOptions {
  shared: RedisRateLimiter;
  /** Tokens are used at most this long (less a fifth) after the trip that renewed the lease was sent. */
  leaseTtlMs?: number;
  /** This replica's wall clock (GCRA's time, as RedisRateLimiter's callers use). */
  nowMs?: () => number;
}

interface TokenLease {
  mapKey: string;
  keyId: string;
  limitPerMin: number;
  maxTokens: number;
  tokens: number;
  /** Admitted since the last trip: sizes the next one. */
  admitted: number;
  /** Monotonic times (performance.now()). */
  validUntilMs: number;
  lastAdmitMs: number;
  lastTripMs: number;
  /** The last trip or idle check: a lease that admitted nothing since is idle. */
  lastLookMs: number;
  lastGranted: number;
  trip: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
}

const DEFAULT_LEASE_TTL_MS = 10_000;
/** Tokens a lease may hold: this much of the key's sustained rate. */
const OK: RateLimitResult = { ok: true };

export class LeasedRateLimiter implements RateLimiter {
  private readonly shared: RedisRateLimiter;
  private readonly leaseTtlMs: number;
  private readonly now: () => number;
  private readonly leases = new Map<string, TokenLease>();
  /** Last exact request per key and limit, to lease only keys that are busy. */
  private readonly busy: BusyKeys;
  private closed = false;

  constructor(opts: LeasedRateLimiterOptions) {
    this.shared = opts.shared;
    this.leaseTtlMs = opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.now = opts.nowMs ?? Date.now;
    this.busy = new BusyKeys(this.leaseTtlMs / 4);
  }

  async hit(keyId: string, limitPerMin: number, nowMs: number): Promise<RateLimitResult> {
    const mapKey = `${keyId}\u0000${limitPerMin}`;
    const lease = this.leases.get(mapKey);
    const monoMs = performance.now();
    if (lease && lease.tokens >= 1 && monoMs < lease.validUntilMs) {
      lease.tokens--;
      lease.admitted++;
      lease.lastAdmitMs = monoMs;
      if (lease.tokens < this.targetTokens(lease) / 2) void this.startTrip(lease, false);
      return OK;
    }
    // Ran dry: take more for the next ones (after a trip that got none, not before the next quarter second).
    if (lease && (lease.lastGranted > 0 || monoMs - lease.lastTripMs >= TOKEN_HOLD_MS)) void this.startTrip(lease, false);
    if (!lease) this.noteDemand(mapKey, keyId, limitPerMin, monoMs);
    return this.shared.hit(keyId, limitPerMin, nowMs);
  }

  /** Gives back every lease's tokens. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      [...this.leases.values()].map(async (lease) => {
        clearTimeout(lease.timer);
        while (lease.trip) await lease.trip;
        await this.startTrip(lease, true);
      }),
    );
  }

  /** Leases held now (tests). */
  get leaseCount(): number {
    return this.leases.size;
  }

  /** Tokens held now, over every lease (tests). */
  get heldTokens(): number {
    let tokens = 0;
    for (const lease of this.leases.values()) tokens += lease.tokens;
    return tokens;
  }

  private noteDemand(mapKey: string, keyId: string, limitPerMin: number, monoMs: number): void {
    if (this.closed) return;
    if (!this.busy.isBusy(mapKey, monoMs)) return;
    const maxTokens = maxLeaseTokens(limitPerMin);
    if (maxTokens < 2 || this.leases.size >= MAX_LEASES) return;
    this.busy.forget(mapKey);
    const lease: TokenLease = {
      mapKey,
      keyId,
      limitPerMin,
      maxTokens,
      tokens: 0,
      admitted: 0,
      validUntilMs: 0,
      lastAdmitMs: monoMs,
      lastTripMs: monoMs,
      lastLookMs: monoMs,
      lastGranted: 0,
      trip: undefined,
      timer: undefined,
    };
    this.leases.set(mapKey, lease);
    void this.startTrip(lease, false);
  }

  /** Tokens worth holding: 16, or 4 trips' worth of recent requests, never more than `maxTokens`. */
  private targetTokens(lease: TokenLease): number {
    return Math.min(lease.maxTokens, Math.max(16, 4 * lease.admitted));
  }

  /** One trip at a time: give back (returning) or top up the tokens, and renew the lease's validity. */
  private startTrip(lease: TokenLease, returning: boolean): Promise<void> {
    if (lease.trip) return lease.trip;
    const sentAtMs = performance.now();
    const returned = returning || this.closed ? lease.tokens : 0;
    const want = returning || this.closed ? 0 : Math.max(0, this.targetTokens(lease) - lease.tokens);
    lease.tokens -= returned;
    lease.admitted = 0;
    lease.lastTripMs = sentAtMs;
    clearTimeout(lease.timer);
    lease.trip = this.shared.takeTokens(lease.keyId, lease.limitPerMin, want, returned, this.now()).then(
      (granted) => this.answered(lease, granted, sentAtMs),
      // Unknown whether it was applied: its tokens count as taken (none held) and the lease is not renewed.
      () => this.answered(lease, 0, undefined),
    );
    return lease.trip;
  }

  /** A trip's answer (sentAtMs undefined: it failed). */
  private answered(lease: TokenLease, granted: number, sentAtMs: number | undefined): void {
    lease.trip = undefined;
    lease.tokens += granted;
    lease.lastGranted = granted;
    // Local admissions tell the fallback limiter Redis is fine: only while a trip answered recently.
    if (sentAtMs !== undefined) lease.validUntilMs = sentAtMs + this.leaseTtlMs - Math.max(1_000, this.leaseTtlMs / 5);
    if (lease.tokens === 0 && (this.closed || sentAtMs === undefined || lease.lastAdmitMs < sentAtMs)) {
      if (this.leases.get(lease.mapKey) === lease) this.leases.delete(lease.mapKey);
      return;
    }
    if (!this.closed) this.arm(lease);
  }

  /**
   * Every `leaseTtlMs / 4`: an idle lease (nothing admitted since the last look) gives its tokens back;
   * a busy one with tokens to spare waits for the next look unless its validity would lapse before.
   */
  private arm(lease: TokenLease): void {
    lease.lastLookMs = performance.now();
    lease.timer = setTimeout(() => {
      const monoMs = performance.now();
      const idle = lease.lastAdmitMs < lease.lastLookMs;
      if (!idle && lease.tokens >= this.targetTokens(lease) / 2 && monoMs + this.leaseTtlMs / 4 < lease.validUntilMs) return this.arm(lease);
      void this.startTrip(lease, idle);
    }, this.leaseTtlMs / 4);
    lease.timer.unref();
  }
}
