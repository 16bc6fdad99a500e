import type { BudgetLimits, WindowSpan } from './budget-ledger.ts';
import { utcWindows } from './budget-ledger.ts';
import type { LeaseTrip } from './redis-budget-ledger.ts';

/** What a replica knows of one of its budget leases (see budget-lease.ts for how it is used). */
export interface Lease {
  mapKey: string;
  keyId: string;
  leaseId: string;
  day: WindowSpan;
  month: WindowSpan;
  dayLimitNano: number;
  monthLimitNano: number;
  /** Rate limit served from tokens, or undefined (a budget-only lease). */
  limitPerMin: number | undefined;
  maxTokens: number;
  seq: number;
  member: string;
  /** Admissions stop at this (the hold, or less while a shrinking trip is out). */
  capNano: number;
  inFlightNano: number;
  unflushedNano: number;
  flushingNano: number;
  tokens: number;
  /** What Redis said each window used at the last trip (passed on with every admission). */
  dayUsedUsd: number | undefined;
  monthUsedUsd: number | undefined;
  /** Admitted since the last trip: sizes the next one. */
  admittedNano: number;
  admittedCount: number;
  maxAmountNano: number;
  /** Times on the monotonic clock (performance.now()). */
  validUntilMs: number;
  lastAdmitMs: number;
  lastTripMs: number;
  /** When the trip out (or last answered) was first sent: a resent trip's hold dates from then. */
  tripFirstSentMs: number;
  trip: Promise<void> | undefined;
  /** A trip that failed, resent as is (applied once) before anything else. */
  unanswered: LeaseTrip | undefined;
  /** A trip waiting to start: at this turn's end, or on `flushTimer`. */
  scheduled: 'no' | 'soon' | 'later';
  /** Asked for while a trip was out: run another after it. */
  again: 'no' | 'later' | 'urgent';
  returning: boolean;
  /** Renews a busy lease, returns an idle one, resends a failed trip. */
  timer: NodeJS.Timeout | undefined;
  flushTimer: NodeJS.Timeout | undefined;
}

export interface LeasedReservation {
  lease: Lease;
  amountNano: number;
}

/** One lease per key, pair of windows, limits and rate limit: a change of any of them starts another. */
export function leaseKey(keyId: string, limits: BudgetLimits, nowMs: number, limitPerMin: number | undefined): string {
  const { day, month } = utcWindows(nowMs);
  return `${keyId}\u0000${day.id}\u0000${month.id}\u0000${limits.dailyUsd ?? ''}\u0000${limits.monthlyUsd ?? ''}\u0000${limitPerMin ?? ''}`;
}
