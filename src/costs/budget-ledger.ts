/**
 * Per-key spend budgets over the UTC calendar day and UTC calendar month.
 *
 * Protocol: before the upstream call the gateway reserves the most the request can cost
 * (maxCostUsd); afterwards it settles the actual cost (or releases on failure). A reservation is
 * admitted only if, in both windows, spent + reserved + amount ≤ limit, checked and applied
 * atomically. Hence settled spend can never exceed a limit as long as every actual ≤ its
 * reservation, however many requests and replicas race.
 *
 * A reservation counts in the windows current when it was made; its settle goes to those windows
 * (a request that starts at 23:59 UTC is yesterday's spend), matching the spend log's created_at.
 * A reservation never settled or released (a crashed request) stops holding budget after
 * `reservationTtlMs`; a settle that still arrives within `expiredRetentionMs` after that is counted.
 *
 * Amounts are held as integer nano-USD: exact sums, safe to $9M per window in a double and in
 * Redis Lua; reservations round up and settlements to the nearest nano-USD, so the guarantee holds.
 */

export interface BudgetLimits {
  dailyUsd?: number | null;
  monthlyUsd?: number | null;
}

export type BudgetWindow = 'day' | 'month';

/**
 * A reservation's verdict. A shared ledger's admission also says how much of each window was used
 * (spent + reserved, this reservation included) as it last knew: a replica that loses Redis starts
 * its own accounting from there (FallbackBudgetLedger).
 */
export type ReserveResult =
  | { ok: true; reservationId: string; dayUsedUsd?: number; monthUsedUsd?: number }
  | { ok: false; window: BudgetWindow; limitUsd: number; spentUsd: number; reservedUsd: number };

/** A reservation behind the key's rate limit: refused by the limit, or the reservation's own result. */
export type RateLimitedReserveResult = ReserveResult | { ok: false; rateLimited: true; retryAfterMs: number };

export interface KeySpend {
  dayUsd: number;
  monthUsd: number;
  /** Budget held by open reservations in the current month. */
  reservedUsd: number;
}

export interface BudgetLedger {
  reserve(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult>;
  /** Records the actual cost of a reservation; unknown or already finished ids are ignored. */
  settle(reservationId: string, actualUsd: number): Promise<void>;
  /** Gives a reservation back without spending (the request failed before costing anything). */
  release(reservationId: string): Promise<void>;
  spent(keyId: string, nowMs: number): Promise<KeySpend>;
  /**
   * The key's requests-per-minute limit and then the reservation, in one step (one Redis round trip);
   * a request the limit refuses reserves nothing. Undefined when not possible now (no such shared
   * state, or Redis unreachable): the caller then checks the limiter and reserves in turn.
   */
  reserveAfterRateLimit?(
    keyId: string,
    amountUsd: number,
    limits: BudgetLimits,
    nowMs: number,
    limitPerMin: number,
  ): Promise<RateLimitedReserveResult | undefined>;
}

/** Settled spend of a key since a time, from the store; seeds a ledger's windows. */
export type LoadSpend = (keyId: string, sinceMs: number) => Promise<number>;

export const DEFAULT_RESERVATION_TTL_MS = 10 * 60_000;
export const DEFAULT_EXPIRED_RETENTION_MS = 60 * 60_000;

/** What the in-process and the Redis ledger are both configured with. */
export interface LedgerOptions {
  loadSpend?: LoadSpend;
  reservationTtlMs?: number;
  expiredRetentionMs?: number;
}

export function ledgerTimings(opts: LedgerOptions): { reservationTtlMs: number; expiredRetentionMs: number } {
  return {
    reservationTtlMs: opts.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS,
    expiredRetentionMs: opts.expiredRetentionMs ?? DEFAULT_EXPIRED_RETENTION_MS,
  };
}

const NANO_PER_USD = 1e9;
const DAY_MS = 86_400_000;

export function usdToNanoCeil(usd: number): number {
  // Float noise (0.07 * 1e9 = 70000000.00000001) must not round a whole amount up.
  return Math.ceil(Math.round(usd * NANO_PER_USD * 1e3) / 1e3);
}

export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

export function nanoToUsd(nano: number): number {
  return nano / NANO_PER_USD;
}

export function assertAmountUsd(usd: number): void {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`invalid amount ${usd}`);
}

export interface WindowSpan {
  /** Monotonic window number: days since epoch, or year * 12 + month. */
  id: number;
  startMs: number;
  endMs: number;
}

export function utcDayWindow(nowMs: number): WindowSpan {
  const id = Math.floor(nowMs / DAY_MS);
  return { id, startMs: id * DAY_MS, endMs: (id + 1) * DAY_MS };
}

export function utcMonthWindow(nowMs: number): WindowSpan {
  const d = new Date(nowMs);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return { id: year * 12 + month, startMs: Date.UTC(year, month, 1), endMs: Date.UTC(year, month + 1, 1) };
}

/** A settled or added amount as nano-USD, refused when it is not a finite amount ≥ 0. */
export function amountNano(usd: number): number {
  assertAmountUsd(usd);
  return usdToNano(usd);
}

/** What every ledger checks a reservation with, in nano-USD: the amount rounded up, each limit or -1. */
export function reservationNano(amountUsd: number, limits: BudgetLimits): { amountNano: number; dayLimitNano: number; monthLimitNano: number } {
  assertAmountUsd(amountUsd);
  return { amountNano: usdToNanoCeil(amountUsd), dayLimitNano: limitNano(limits.dailyUsd), monthLimitNano: limitNano(limits.monthlyUsd) };
}

/** The refusal of a reservation that would take `window` past its limit (amounts in nano-USD). */
export function budgetRejection(window: BudgetWindow, limitNano: number, spentNano: number, reservedNano: number): ReserveResult {
  return { ok: false, window, limitUsd: nanoToUsd(limitNano), spentUsd: nanoToUsd(spentNano), reservedUsd: nanoToUsd(reservedNano) };
}

/** The last day's windows: every reservation asks, and a day has one answer (callers only read it). */
let lastWindows: { day: WindowSpan; month: WindowSpan } | undefined;

/** The day and month windows `nowMs` falls in. */
export function utcWindows(nowMs: number): { day: WindowSpan; month: WindowSpan } {
  if (lastWindows && nowMs >= lastWindows.day.startMs && nowMs < lastWindows.day.endMs) return lastWindows;
  const windows = { day: utcDayWindow(nowMs), month: utcMonthWindow(nowMs) };
  lastWindows = windows;
  return windows;
}

/** A key's settled spend in USD since the start of each window, from the store: what a ledger seeds a key with. */
export function loadWindowSpendUsd(loadSpend: LoadSpend, keyId: string, windows: { day: WindowSpan; month: WindowSpan }): Promise<[number, number]> {
  return Promise.all([loadSpend(keyId, windows.day.startMs), loadSpend(keyId, windows.month.startMs)]);
}

/** A limit as nano-USD, or -1 for "no limit". */
export function limitNano(limitUsd: number | null | undefined): number {
  if (limitUsd === null || limitUsd === undefined) return -1;
  if (!Number.isFinite(limitUsd) || limitUsd < 0) throw new RangeError(`invalid limit ${limitUsd}`);
  return usdToNano(limitUsd);
}
