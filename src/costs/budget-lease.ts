import type { BudgetLimits, KeySpend, RateLimitedReserveResult, ReserveResult } from './budget-ledger.ts';
import { amountNano, limitNano, reservationNano, utcWindows } from './budget-ledger.ts';
import type { SharedLedger } from './fallback-budget-ledger.ts';
import type { LeaseTrip, RedisBudgetLedger } from './redis-budget-ledger.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';
import type { Lease, LeasedReservation } from './budget-lease-state.ts';
import { leaseKey } from './budget-lease-state.ts';
import { BusyKeys, MAX_LEASES, maxLeaseTokens } from '../auth/busy-keys.ts';

/**
 * Per-replica budget leases over the Redis ledger: a replica serving a busy key reserves a slice of
 * the key's budget in Redis (one open reservation, "the lease", counted in the windows' reserved
 * amount like any other) and admits that key's requests against the slice in memory, with no
 * Redis round trip before the upstream call. Settled spend goes to Redis in the next trip of the
 * lease (at most `FLUSH_MS` later; one script carries every settle of that interval), which also
 * renews the hold, resizes it to demand and, for a key with a rate limit, takes a few GCRA tokens
 * at once. A lease running low takes its trip at once, still in the background.
 *
 * Correctness bound: every request admitted locally fits in the lease's hold, and the hold was
 * admitted by Redis under the key's limits (spent + reserved + hold ≤ limit in both windows), so
 * total spend stays ≤ the budget across replicas as long as each actual ≤ its reservation, as
 * without leases. A trip keeps the hold ≥ what was admitted under it (in flight + settled and not
 * yet flushed), so shrinking never uncovers an admitted request. A rate limit can be exceeded by at
 * most the tokens a replica holds (at most a quarter second of the key's sustained rate; keys whose
 * quarter second is under 2 requests are not leased).
 *
 * What it costs: a lease holds up to `sharePermille` of a window's free budget (and at least what
 * is in flight) that other replicas cannot use until it is returned, so near a budget's edge a
 * request can be refused on one replica while another's lease is unused; a refused request first
 * shrinks this replica's own leases of the key and asks again. Leases are returned after
 * `leaseTtlMs / 4` without requests and at close. A replica that dies keeps its hold until
 * `leaseTtlMs` by Redis's clock (the open set's expiry; any script of the key sweeps it), and the spend it settled
 * since its last trip (at most `FLUSH_MS` of it) never reaches Redis's windows; the store's rows
 * still have it, and windows seeded from the store later include it.
 */

export interface LeasedBudgetLedgerOptions {
  shared: RedisBudgetLedger;
  /** A lease's hold expires this long after its last trip ran, by Redis's clock (renewed by every trip). */
  leaseTtlMs?: number;
  /** Per mille of a window's free budget one trip may add to a lease. */
  sharePermille?: number;
  /**
   * This replica's wall clock, for the windows and the rate limit a trip is for; a lease's own timing
   * (its validity, idleness) uses the monotonic clock, and its hold's expiry Redis's.
   */
  nowMs?: () => number;
}

const DEFAULT_LEASE_TTL_MS = 10_000;
const DEFAULT_SHARE_PERMILLE = 250;
/** Tokens a lease may hold: this much of the key's sustained rate. */
const RETRY_MS = 200;
/** Settled spend waits at most this long for its lease's next trip (a dead replica's is lost from Redis). */
const FLUSH_MS = 20;

export class LeasedBudgetLedger implements SharedLedger {
  private readonly shared: RedisBudgetLedger;
  private readonly leaseTtlMs: number;
  private readonly sharePermille: number;
  private readonly now: () => number;
  private readonly leases = new Map<string, Lease>();
  private readonly reservations = new Map<string, LeasedReservation>();
  /** Last exact request per lease key, to lease only keys that are busy. */
  private readonly busy: BusyKeys;
  private closed = false;

  constructor(opts: LeasedBudgetLedgerOptions) {
    this.shared = opts.shared;
    this.leaseTtlMs = opts.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.sharePermille = opts.sharePermille ?? DEFAULT_SHARE_PERMILLE;
    this.now = opts.nowMs ?? Date.now;
    this.busy = new BusyKeys(this.leaseTtlMs / 4);
  }

  async reserve(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult> {
    const local = this.admit(keyId, amountUsd, limits, nowMs, undefined);
    if (local) return local;
    const ask = (): Promise<ReserveResult> => this.shared.reserve(keyId, amountUsd, limits, nowMs);
    return this.exact(keyId, amountUsd, limits, nowMs, undefined, ask, ask);
  }

  async reserveAfterRateLimit(
    keyId: string,
    amountUsd: number,
    limits: BudgetLimits,
    nowMs: number,
    limitPerMin: number,
  ): Promise<RateLimitedReserveResult | undefined> {
    const local = this.admit(keyId, amountUsd, limits, nowMs, limitPerMin);
    if (local) return local;
    // Asked again after a budget's refusal, the rate limit has already counted the request.
    return this.exact(
      keyId,
      amountUsd,
      limits,
      nowMs,
      limitPerMin,
      () => this.shared.reserveAfterRateLimit(keyId, amountUsd, limits, nowMs, limitPerMin),
      () => this.shared.reserve(keyId, amountUsd, limits, nowMs),
    );
  }

  async settle(reservationId: string, actualUsd: number): Promise<void> {
    const held = this.reservations.get(reservationId);
    if (!held) return this.shared.settle(reservationId, actualUsd);
    const actual = amountNano(actualUsd);
    this.reservations.delete(reservationId);
    held.lease.inFlightNano -= held.amountNano;
    held.lease.unflushedNano += actual;
    if (actual > 0) this.schedule(held.lease, false);
  }

  settlesLocally(reservationId: string): boolean {
    return this.reservations.has(reservationId);
  }

  async release(reservationId: string): Promise<void> {
    const held = this.reservations.get(reservationId);
    if (!held) return this.shared.release(reservationId);
    this.reservations.delete(reservationId);
    held.lease.inFlightNano -= held.amountNano;
  }

  /** Redis's view after this replica's settled spend of the key has been flushed; reservedUsd includes leases. */
  async spent(keyId: string, nowMs: number): Promise<KeySpend> {
    await Promise.all([...this.leases.values()].filter((l) => l.keyId === keyId).map((l) => this.tripNow(l, false)));
    return this.shared.spent(keyId, nowMs);
  }

  addSpent(keyId: string, amountUsd: number, atMs: number): Promise<void> {
    return this.shared.addSpent(keyId, amountUsd, atMs);
  }

  /** Flushes and returns every lease (what is still in flight stays held until it settles or expires). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.leases.values()].map((l) => this.tripNow(l, true).catch(() => undefined)));
    for (const lease of this.leases.values()) {
      clearTimeout(lease.timer);
      clearTimeout(lease.flushTimer);
    }
  }

  /** Leases held now (tests, metrics). */
  get leaseCount(): number {
    return this.leases.size;
  }

  /** A reservation served from this replica's lease of the key, or undefined (no usable lease). */
  private admit(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number, limitPerMin: number | undefined): ReserveResult | undefined {
    const lease = this.leases.get(leaseKey(keyId, limits, nowMs, limitPerMin));
    if (!lease || performance.now() >= lease.validUntilMs) return undefined;
    const amount = reservationNano(amountUsd, limits).amountNano;
    const free = lease.capNano - lease.inFlightNano - lease.unflushedNano - lease.flushingNano;
    if (free < amount || (lease.limitPerMin !== undefined && lease.tokens < 1)) {
      this.schedule(lease, true);
      return undefined;
    }
    if (lease.limitPerMin !== undefined) lease.tokens--;
    lease.inFlightNano += amount;
    lease.admittedNano += amount;
    lease.admittedCount++;
    if (amount > lease.maxAmountNano) lease.maxAmountNano = amount;
    lease.lastAdmitMs = performance.now();
    // Top up before it runs dry: at half the target, or half the tokens.
    if (free - amount < this.targetNano(lease) / 2 || (lease.limitPerMin !== undefined && lease.tokens < this.targetTokens(lease) / 2))
      this.schedule(lease, true);
    const reservationId = `${timeOrderedId(nowMs)}:${keyId}`;
    this.reservations.set(reservationId, { lease, amountNano: amount });
    return { ok: true, reservationId, dayUsedUsd: lease.dayUsedUsd, monthUsedUsd: lease.monthUsedUsd };
  }

  /** Asks Redis for this one request; a busy key gets a lease for the next ones. */
  private async exact<T extends RateLimitedReserveResult | undefined>(
    keyId: string,
    amountUsd: number,
    limits: BudgetLimits,
    nowMs: number,
    limitPerMin: number | undefined,
    ask: () => Promise<T>,
    askAgain: () => Promise<ReserveResult>,
  ): Promise<T | ReserveResult> {
    const mapKey = leaseKey(keyId, limits, nowMs, limitPerMin);
    this.noteDemand(mapKey, keyId, amountUsd, limits, nowMs, limitPerMin);
    const verdict = await ask();
    if (!verdict || verdict.ok || 'rateLimited' in verdict) return verdict;
    // Refused by a budget: what this replica's own leases of the key hold unused may be the reason.
    const own = [...this.leases.values()].filter((l) => l.keyId === keyId && l.capNano > l.inFlightNano + l.unflushedNano + l.flushingNano);
    if (own.length === 0) return verdict;
    await Promise.all(own.map((l) => this.tripNow(l, true).catch(() => undefined)));
    return askAgain();
  }

  private noteDemand(mapKey: string, keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number, limitPerMin: number | undefined): void {
    // A key without limits (a hold handed over after an outage) has nothing to lease.
    if (this.closed || this.leases.has(mapKey) || (limits.dailyUsd == null && limits.monthlyUsd == null)) return;
    const monoMs = performance.now();
    if (!this.busy.isBusy(mapKey, monoMs)) return;
    const maxTokens = limitPerMin === undefined ? 0 : maxLeaseTokens(limitPerMin);
    if ((limitPerMin !== undefined && maxTokens < 2) || this.leases.size >= MAX_LEASES) return;
    this.busy.forget(mapKey);
    const { day, month } = utcWindows(nowMs);
    const lease: Lease = {
      mapKey,
      keyId,
      leaseId: timeOrderedId(nowMs),
      day,
      month,
      dayLimitNano: limitNano(limits.dailyUsd),
      monthLimitNano: limitNano(limits.monthlyUsd),
      limitPerMin,
      maxTokens,
      seq: 0,
      member: '',
      capNano: 0,
      inFlightNano: 0,
      unflushedNano: 0,
      flushingNano: 0,
      tokens: 0,
      dayUsedUsd: undefined,
      monthUsedUsd: undefined,
      admittedNano: 0,
      admittedCount: 0,
      maxAmountNano: reservationNano(amountUsd, limits).amountNano,
      validUntilMs: 0,
      lastAdmitMs: monoMs,
      lastTripMs: monoMs,
      tripFirstSentMs: monoMs,
      trip: undefined,
      unanswered: undefined,
      scheduled: 'no',
      again: 'no',
      returning: false,
      timer: undefined,
      flushTimer: undefined,
    };
    this.leases.set(mapKey, lease);
    this.schedule(lease, true);
  }

  /** A free amount worth holding: 16 of the largest request seen, or 4 trips' worth of recent demand. */
  private targetNano(lease: Lease): number {
    return Math.max(16 * lease.maxAmountNano, 4 * lease.admittedNano);
  }

  /** Rate-limit tokens worth holding: 16, or 4 trips' worth of recent requests, never more than `maxTokens`. */
  private targetTokens(lease: Lease): number {
    return Math.min(lease.maxTokens, Math.max(16, 4 * lease.admittedCount));
  }

  /**
   * The lease's next trip, one at a time: at this turn's end when it runs low (`urgent`), else (spend
   * to flush) `FLUSH_MS` after the last trip, so a busy key's settles share one script per interval.
   */
  private schedule(lease: Lease, urgent: boolean): void {
    if (lease.trip) {
      lease.again = lease.again === 'urgent' || urgent ? 'urgent' : 'later';
      return;
    }
    if (lease.scheduled === 'soon' || (lease.scheduled === 'later' && !urgent)) return;
    clearTimeout(lease.flushTimer);
    const run = (): void => {
      lease.scheduled = 'no';
      if (!lease.trip) void this.startTrip(lease);
    };
    const waitMs = urgent ? 0 : lease.lastTripMs + FLUSH_MS - performance.now();
    if (waitMs <= 0) {
      lease.scheduled = 'soon';
      setImmediate(run);
      return;
    }
    lease.scheduled = 'later';
    lease.flushTimer = setTimeout(run, waitMs);
    lease.flushTimer.unref();
  }

  /** Waits for the trip out, then runs one (returning: shrink the hold to what is in flight). */
  private async tripNow(lease: Lease, returning: boolean): Promise<void> {
    while (lease.trip) await lease.trip.catch(() => undefined);
    lease.returning = returning;
    await this.startTrip(lease);
  }

  /** Sends the lease's next trip (or resends the unanswered one); the promise is also `lease.trip`. */
  private startTrip(lease: Lease): Promise<void> {
    const sentAtMs = performance.now();
    const resent = lease.unanswered;
    const trip = resent ?? this.nextTrip(lease, this.now());
    if (!resent) lease.tripFirstSentMs = sentAtMs;
    const firstSentMs = lease.tripFirstSentMs;
    lease.unanswered = undefined;
    lease.again = 'no';
    lease.trip = this.shared.lease(trip).then(
      (reply) => {
        lease.trip = undefined;
        lease.member = reply.member;
        lease.capNano = reply.holdNano;
        lease.flushingNano = 0;
        lease.tokens += reply.tokens;
        if (reply.dayUsedUsd !== undefined) {
          lease.dayUsedUsd = reply.dayUsedUsd;
          lease.monthUsedUsd = reply.monthUsedUsd;
        }
        // Redis ran the trip after its first send and its hold expires ttlMs later by Redis's clock, so
        // ttlMs after the first send on this process's monotonic clock is earlier, whatever the wall
        // clocks say; the margin leaves a request admitted last a few seconds under the hold for the
        // next renewal.
        lease.validUntilMs = firstSentMs + trip.ttlMs - Math.max(1_000, this.leaseTtlMs / 5);
        lease.lastTripMs = sentAtMs;
        if (reply.holdNano === 0 && lease.inFlightNano === 0 && lease.unflushedNano === 0 && lease.tokens === 0) {
          this.drop(lease);
          return;
        }
        if (lease.again !== 'no' || lease.unflushedNano > 0) this.schedule(lease, lease.again === 'urgent');
        this.arm(lease, this.leaseTtlMs / 4);
      },
      (err: unknown) => {
        // Unknown whether it was applied: resent as is (applied once). Admissions go on against the
        // cap, which both the old and the new hold cover.
        lease.trip = undefined;
        lease.unanswered = trip;
        this.arm(lease, RETRY_MS);
        throw err;
      },
    );
    lease.trip.catch(() => undefined);
    return lease.trip;
  }

  private nextTrip(lease: Lease, nowMs: number): LeaseTrip {
    const returning = lease.returning || this.closed;
    lease.returning = false;
    const flushNano = lease.unflushedNano;
    lease.unflushedNano = 0;
    lease.flushingNano = flushNano;
    // While a shrinking trip is out, admissions stop at what is already admitted.
    if (returning) lease.capNano = lease.inFlightNano + flushNano;
    // What settled came out of the hold; a settle above its reservation (the upstream's count beat
    // the estimate) can take more than the hold's spare, and the requests still in flight stay covered.
    const keepNano = Math.max(lease.inFlightNano, lease.capNano - flushNano);
    const wantNano = returning ? 0 : Math.max(0, this.targetNano(lease) - (keepNano - lease.inFlightNano));
    let tokens: LeaseTrip['tokens'];
    if (lease.limitPerMin !== undefined) {
      const returned = returning ? lease.tokens : 0;
      lease.tokens -= returned;
      const want = returning ? 0 : Math.max(0, this.targetTokens(lease) - lease.tokens);
      tokens = { limitPerMin: lease.limitPerMin, want, returned };
    }
    lease.admittedNano = 0;
    lease.admittedCount = 0;
    return {
      keyId: lease.keyId,
      leaseId: lease.leaseId,
      previousMember: lease.member,
      seq: ++lease.seq,
      flushNano,
      keepNano,
      wantNano,
      dayLimitNano: lease.dayLimitNano,
      monthLimitNano: lease.monthLimitNano,
      day: lease.day,
      month: lease.month,
      nowMs,
      ttlMs: this.leaseTtlMs,
      sharePermille: this.sharePermille,
      tokens,
    };
  }

  /** After `ms`: resend a failed trip, return an idle lease, or renew a busy one. */
  private arm(lease: Lease, ms: number): void {
    clearTimeout(lease.timer);
    lease.timer = setTimeout(() => {
      if (lease.trip) return;
      const idle = lease.lastAdmitMs < lease.lastTripMs;
      this.tripNow(lease, idle || this.closed).catch(() => undefined);
    }, ms);
    lease.timer.unref();
  }

  private drop(lease: Lease): void {
    clearTimeout(lease.timer);
    clearTimeout(lease.flushTimer);
    if (this.leases.get(lease.mapKey) === lease) this.leases.delete(lease.mapKey);
  }
}
