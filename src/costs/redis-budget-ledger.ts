import type { Redis } from 'ioredis';
import type { BudgetLedger, BudgetLimits, KeySpend, LedgerOptions, LoadSpend, RateLimitedReserveResult, ReserveResult, WindowSpan } from './budget-ledger.ts';
import { amountNano, budgetRejection, ledgerTimings, loadWindowSpendUsd, nanoToUsd, reservationNano, usdToNano, utcWindows } from './budget-ledger.ts';
import { ADD_SPENT, FINISH, LEASE, RATE_LIMIT_THEN_RESERVE, RESERVE, SPENT } from './redis-budget-scripts.ts';
import type { RedisScript } from './redis-script.ts';
import { gcraParams, msToUs, retryAfterMsFromUs } from '../auth/rate-limiter.ts';
import { rateLimitKey } from '../auth/redis-rate-limiter.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';

/**
 * Budget ledger shared by every gateway replica through Redis. Each operation is one Lua script
 * (redis-budget-scripts.ts), so check-and-reserve is atomic across replicas.
 *
 * Keys (all of one API key share the `{keyId}` hash tag, so one cluster slot holds them):
 *   <prefix>{keyId}:d:<dayId>    hash s (spent) r (reserved), nano-USD; expires after its day
 *   <prefix>{keyId}:m:<monthId>  same for the month
 *   <prefix>{keyId}:open         sorted set of open reservations scored by expiry time (Redis's clock)
 *   <prefix>{keyId}:res:<member> marker of an unfinished reservation (makes settle idempotent)
 * A reservation's member `<time><random>.<amountNano>.<dayId>.<monthId>` carries everything a sweep
 * needs, and the reservation id handed out is `<member>:<keyId>`, so settle needs no lookup.
 *
 * When a window's hash is missing (first request of the window, or Redis lost its data) it is
 * seeded from the store through `loadSpend`; HSET only if still missing, so racing replicas agree.
 */

const WINDOW_GRACE_MS = 60 * 60_000;
/** Most reservations one settle script finishes. */
const FINISH_BATCH = 64;

export interface RedisBudgetLedgerOptions extends LedgerOptions {
  redis: Redis;
  /** Prepended to every key, e.g. `aigw:budget:`; tests use a unique one per run. */
  keyPrefix?: string;
  /** The RedisRateLimiter's key prefix: with it, reserveAfterRateLimit checks that limiter's state. */
  rateLimitKeyPrefix?: string;
}

/** Settles and releases of one key and pair of windows waiting for this turn's check phase (see finish). */
interface FinishBatch {
  keys: string[];
  args: (string | number)[];
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

/** One trip of a replica's budget lease (budget-lease.ts; the LEASE script says what each field does). */
export interface LeaseTrip {
  keyId: string;
  /** Names the lease's state in Redis; no dots. */
  leaseId: string;
  /** The lease's open-set member in Redis now ('' for none). */
  previousMember: string;
  /** This trip's number: a retried trip with the same number is applied once. */
  seq: number;
  flushNano: number;
  keepNano: number;
  wantNano: number;
  dayLimitNano: number;
  monthLimitNano: number;
  day: WindowSpan;
  month: WindowSpan;
  /** The replica's clock at the first send: sizes the windows' TTLs and is the rate limit's now. */
  nowMs: number;
  /** The hold expires this long after the script runs, by Redis's clock. */
  ttlMs: number;
  /** Per mille of a window's free budget one trip may take. */
  sharePermille: number;
  tokens?: { limitPerMin: number; want: number; returned: number };
}

export interface LeaseReply {
  holdNano: number;
  /** The hold's open-set member ('' when the hold is 0). */
  member: string;
  tokens: number;
  /** Spent + reserved in each window after the trip (undefined for a replayed trip). */
  dayUsedUsd: number | undefined;
  monthUsedUsd: number | undefined;
}

interface ParsedReservation {
  keyId: string;
  member: string;
  dayId: string;
  monthId: string;
}

export class RedisBudgetLedger implements BudgetLedger {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly loadSpend: LoadSpend | undefined;
  private readonly reservationTtlMs: number;
  private readonly markerTtlMs: number;
  private readonly rateLimitPrefix: string | undefined;
  /** Settles and releases waiting for this turn's check phase, by key and windows (see finish). */
  private pendingFinishes = new Map<string, FinishBatch>();
  private readonly runFinishes = (): void => {
    const batches = this.pendingFinishes;
    this.pendingFinishes = new Map();
    for (const batch of batches.values()) {
      FINISH.run(this.redis, batch.keys, batch.args).then(
        () => {
          for (const w of batch.waiters) w.resolve();
        },
        (err: unknown) => {
          for (const w of batch.waiters) w.reject(err);
        },
      );
    }
  };

  constructor(opts: RedisBudgetLedgerOptions) {
    this.redis = opts.redis;
    this.prefix = opts.keyPrefix ?? 'aigw:budget:';
    this.loadSpend = opts.loadSpend;
    this.rateLimitPrefix = opts.rateLimitKeyPrefix;
    const { reservationTtlMs, expiredRetentionMs } = ledgerTimings(opts);
    this.reservationTtlMs = reservationTtlMs;
    this.markerTtlMs = reservationTtlMs + expiredRetentionMs;
  }

  async reserve(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult> {
    return (await this.reserveWith(RESERVE, keyId, amountUsd, limits, nowMs)) as ReserveResult;
  }

  /**
   * The key's rate limit (the RedisRateLimiter's state) and then the reservation, in one script and
   * one round trip: a request the rate limit refuses reserves nothing. Undefined without a
   * `rateLimitKeyPrefix` (the caller then checks the two in turn).
   */
  async reserveAfterRateLimit(
    keyId: string,
    amountUsd: number,
    limits: BudgetLimits,
    nowMs: number,
    limitPerMin: number,
  ): Promise<RateLimitedReserveResult | undefined> {
    if (this.rateLimitPrefix === undefined) return undefined;
    const { intervalUs, toleranceUs } = gcraParams(limitPerMin);
    return await this.reserveWith(RATE_LIMIT_THEN_RESERVE, keyId, amountUsd, limits, nowMs, rateLimitKey(this.rateLimitPrefix, keyId), [
      msToUs(nowMs),
      intervalUs,
      toleranceUs,
    ]);
  }

  private async reserveWith(
    script: RedisScript,
    keyId: string,
    amountUsd: number,
    limits: BudgetLimits,
    nowMs: number,
    extraKey?: string,
    extraArgs: readonly number[] = [],
  ): Promise<RateLimitedReserveResult> {
    const { amountNano, dayLimitNano, monthLimitNano } = reservationNano(amountUsd, limits);
    const { day, month } = utcWindows(nowMs);
    // Time-ordered (UUIDv7), so the reservation ids the store keys its rows by arrive in order and
    // append to budget_reservations' primary key; its random bits come from a pool, not a CSPRNG call each.
    const member = `${timeOrderedId(nowMs)}.${amountNano}.${day.id}.${month.id}`;
    const keys = [...this.windowKeys(keyId, String(day.id), String(month.id)), this.markerKey(keyId, member)];
    if (extraKey !== undefined) keys.push(extraKey);
    const run = (daySeed: number, monthSeed: number): Promise<unknown> =>
      script.run(this.redis, keys, [
        amountNano,
        dayLimitNano,
        monthLimitNano,
        day.endMs - nowMs + WINDOW_GRACE_MS,
        month.endMs - nowMs + WINDOW_GRACE_MS,
        this.reservationTtlMs,
        this.markerTtlMs,
        member,
        day.id,
        month.id,
        daySeed,
        monthSeed,
        ...extraArgs,
      ]);
    let reply = (await run(this.loadSpend ? -1 : 0, this.loadSpend ? -1 : 0)) as (number | string)[];
    if (reply[0] === -1 && this.loadSpend) {
      const [daySpent, monthSpent] = await loadWindowSpendUsd(this.loadSpend, keyId, { day, month });
      reply = (await run(usdToNano(daySpent), usdToNano(monthSpent))) as (number | string)[];
    }
    if (reply[0] === 1)
      return { ok: true, reservationId: `${member}:${keyId}`, dayUsedUsd: nanoToUsd(Number(reply[1])), monthUsedUsd: nanoToUsd(Number(reply[2])) };
    if (reply[0] === 2) return { ok: false, rateLimited: true, retryAfterMs: retryAfterMsFromUs(Number(reply[1])) };
    const window = reply[1] === 'month' ? 'month' : 'day';
    return budgetRejection(window, window === 'day' ? dayLimitNano : monthLimitNano, Number(reply[2]), Number(reply[3]));
  }

  async settle(reservationId: string, actualUsd: number): Promise<void> {
    await this.finish(reservationId, amountNano(actualUsd));
  }

  async release(reservationId: string): Promise<void> {
    await this.finish(reservationId, -1);
  }

  async spent(keyId: string, nowMs: number): Promise<KeySpend> {
    const { day, month } = utcWindows(nowMs);
    const keys = this.windowKeys(keyId, String(day.id), String(month.id));
    const [dayExists, daySpent, monthExists, monthSpent, monthReserved] = ((await SPENT.run(this.redis, keys, [day.id, month.id])) as number[]).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const load = async (exists: number, spentNano: number, sinceMs: number): Promise<number> =>
      exists === 0 && this.loadSpend ? await this.loadSpend(keyId, sinceMs) : nanoToUsd(spentNano);
    const [dayUsd, monthUsd] = await Promise.all([load(dayExists, daySpent, day.startMs), load(monthExists, monthSpent, month.startMs)]);
    return { dayUsd, monthUsd, reservedUsd: nanoToUsd(monthReserved) };
  }

  /** Adds spend settled without Redis (per-replica fallback) to the shared windows it belongs to. */
  async addSpent(keyId: string, amountUsd: number, atMs: number): Promise<void> {
    const addedNano = amountNano(amountUsd);
    const { day, month } = utcWindows(atMs);
    const keys = this.windowKeys(keyId, String(day.id), String(month.id));
    await ADD_SPENT.run(this.redis, keys.slice(0, 2), [addedNano]);
  }

  /** Runs one lease trip (budget-lease.ts): flush, resize the hold, take rate-limit tokens; seeds missing windows. */
  async lease(trip: LeaseTrip): Promise<LeaseReply> {
    const { keyId, day, month, nowMs } = trip;
    const keys = [...this.windowKeys(keyId, String(day.id), String(month.id)), `${this.prefix}{${keyId}}:lease:${trip.leaseId}`];
    const memberPrefix = `${trip.leaseId}-${trip.seq}`;
    const gcra = trip.tokens && this.rateLimitPrefix !== undefined ? gcraParams(trip.tokens.limitPerMin) : undefined;
    if (gcra && this.rateLimitPrefix !== undefined) keys.push(rateLimitKey(this.rateLimitPrefix, keyId));
    const run = (daySeed: number, monthSeed: number): Promise<unknown> =>
      LEASE.run(this.redis, keys, [
        trip.previousMember,
        memberPrefix,
        trip.flushNano,
        trip.keepNano,
        trip.wantNano,
        trip.dayLimitNano,
        trip.monthLimitNano,
        // A lease's last trips may come after its windows ended: never a TTL that deletes them.
        Math.max(WINDOW_GRACE_MS, day.endMs - nowMs + WINDOW_GRACE_MS),
        Math.max(WINDOW_GRACE_MS, month.endMs - nowMs + WINDOW_GRACE_MS),
        trip.ttlMs,
        this.markerTtlMs,
        day.id,
        month.id,
        daySeed,
        monthSeed,
        trip.seq,
        trip.sharePermille,
        gcra ? (trip.tokens?.want ?? 0) : 0,
        gcra ? (trip.tokens?.returned ?? 0) : 0,
        msToUs(nowMs),
        gcra?.intervalUs ?? 0,
        gcra?.toleranceUs ?? 0,
      ]);
    let reply = (await run(this.loadSpend ? -1 : 0, this.loadSpend ? -1 : 0)) as (number | string)[];
    if (reply[0] === -1 && this.loadSpend) {
      const [daySpent, monthSpent] = await loadWindowSpendUsd(this.loadSpend, keyId, { day, month });
      reply = (await run(usdToNano(daySpent), usdToNano(monthSpent))) as (number | string)[];
    }
    const hold = String(reply[1]);
    const used = (v: unknown): number | undefined => (v === undefined ? undefined : nanoToUsd(Number(v)));
    return {
      holdNano: Number(hold),
      member: hold === '0' ? '' : `${memberPrefix}.${hold}.${day.id}.${month.id}`,
      tokens: Number(reply[2]),
      dayUsedUsd: used(reply[3]),
      monthUsedUsd: used(reply[4]),
    };
  }

  private async finish(reservationId: string, actualNano: number): Promise<void> {
    const parsed = parseReservationId(reservationId);
    if (!parsed) return;
    // Settles come one per answered request, each from its own I/O callback: held until the loop's
    // check phase, those of one turn for one key go to Redis as one script (and all of the turn's
    // scripts in one socket write, auto-pipelining).
    await new Promise<void>((resolve, reject) => {
      const group = `${parsed.keyId}\u0000${parsed.dayId}\u0000${parsed.monthId}`;
      let batch = this.pendingFinishes.get(group);
      if (!batch || batch.waiters.length >= FINISH_BATCH) {
        if (this.pendingFinishes.size === 0) setImmediate(this.runFinishes);
        if (batch) this.pendingFinishes.set(`${group}\u0000${this.pendingFinishes.size}`, batch);
        batch = { keys: [...this.windowKeys(parsed.keyId, parsed.dayId, parsed.monthId)], args: [], waiters: [] };
        this.pendingFinishes.set(group, batch);
      }
      batch.keys.push(this.markerKey(parsed.keyId, parsed.member));
      batch.args.push(parsed.member, actualNano);
      batch.waiters.push({ resolve, reject });
    });
  }

  private windowKeys(keyId: string, dayId: string, monthId: string): [string, string, string] {
    const base = `${this.prefix}{${keyId}}`;
    return [`${base}:d:${dayId}`, `${base}:m:${monthId}`, `${base}:open`];
  }

  private markerKey(keyId: string, member: string): string {
    return `${this.prefix}{${keyId}}:res:${member}`;
  }
}

function parseReservationId(id: string): ParsedReservation | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const member = id.slice(0, colon);
  const parts = member.split('.');
  if (parts.length !== 4 || !/^\d+$/.test(parts[1] ?? '') || !/^\d+$/.test(parts[2] ?? '') || !/^\d+$/.test(parts[3] ?? '')) {
    return undefined;
  }
  return { keyId: id.slice(colon + 1), member, dayId: parts[2] as string, monthId: parts[3] as string };
}
