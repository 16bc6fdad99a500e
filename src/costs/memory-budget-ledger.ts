import type { BudgetLedger, KeySpend, LedgerOptions, LoadSpend, ReserveResult, BudgetLimits } from './budget-ledger.ts';
import { amountNano, budgetRejection, ledgerTimings, loadWindowSpendUsd, nanoToUsd, reservationNano, usdToNano, utcWindows } from './budget-ledger.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';

/**
 * Budget ledger for a single gateway process. Reserve and settle are synchronous map updates
 * (microseconds); the only I/O is one `loadSpend` pair per key on first use, so a restart resumes
 * from the store's settled spend instead of zero.
 */

interface WindowCounter {
  id: number;
  spentNano: number;
  reservedNano: number;
}

interface KeyState {
  day: WindowCounter;
  month: WindowCounter;
  /** Open reservations in creation order (= expiry order, the TTL being constant). */
  open: Set<Reservation>;
  /** Expired reservations kept so a late settle still counts, in expiry order. */
  expired: Set<Reservation>;
}

interface Reservation {
  id: string;
  key: KeyState;
  dayId: number;
  monthId: number;
  amountNano: number;
  expiresAtMs: number;
  active: boolean;
}

export type MemoryBudgetLedgerOptions = LedgerOptions;

export class MemoryBudgetLedger implements BudgetLedger {
  private readonly keys = new Map<string, KeyState>();
  private readonly loading = new Map<string, Promise<KeyState>>();
  private readonly reservations = new Map<string, Reservation>();
  private readonly loadSpend: LoadSpend | undefined;
  private readonly reservationTtlMs: number;
  private readonly expiredRetentionMs: number;

  constructor(opts: MemoryBudgetLedgerOptions = {}) {
    this.loadSpend = opts.loadSpend;
    const timings = ledgerTimings(opts);
    this.reservationTtlMs = timings.reservationTtlMs;
    this.expiredRetentionMs = timings.expiredRetentionMs;
  }

  async reserve(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult> {
    const { amountNano, dayLimitNano, monthLimitNano } = reservationNano(amountUsd, limits);
    const existing = this.keys.get(keyId);
    const key = existing ?? (await this.loadKey(keyId, nowMs));
    this.advance(key, nowMs);
    const { day, month } = key;
    if (dayLimitNano >= 0 && day.spentNano + day.reservedNano + amountNano > dayLimitNano) {
      return budgetRejection('day', dayLimitNano, day.spentNano, day.reservedNano);
    }
    if (monthLimitNano >= 0 && month.spentNano + month.reservedNano + amountNano > monthLimitNano) {
      return budgetRejection('month', monthLimitNano, month.spentNano, month.reservedNano);
    }
    day.reservedNano += amountNano;
    month.reservedNano += amountNano;
    const reservation: Reservation = {
      // Unique across restarts (a process counter restarted at m1 and overwrote older budget_reservations
      // rows, which seed the spend after a restart) and time-ordered, so the rows append to the key.
      id: `m${timeOrderedId(nowMs)}`,
      key,
      dayId: day.id,
      monthId: month.id,
      amountNano,
      expiresAtMs: nowMs + this.reservationTtlMs,
      active: true,
    };
    this.reservations.set(reservation.id, reservation);
    key.open.add(reservation);
    return { ok: true, reservationId: reservation.id };
  }

  async settle(reservationId: string, actualUsd: number): Promise<void> {
    const actualNano = amountNano(actualUsd);
    const r = this.finish(reservationId);
    if (!r) return;
    if (r.key.day.id === r.dayId) r.key.day.spentNano += actualNano;
    if (r.key.month.id === r.monthId) r.key.month.spentNano += actualNano;
  }

  async release(reservationId: string): Promise<void> {
    this.finish(reservationId);
  }

  async spent(keyId: string, nowMs: number): Promise<KeySpend> {
    const key = this.keys.get(keyId) ?? (await this.loadKey(keyId, nowMs));
    this.advance(key, nowMs);
    return {
      dayUsd: nanoToUsd(key.day.spentNano),
      monthUsd: nanoToUsd(key.month.spentNano),
      reservedUsd: nanoToUsd(key.month.reservedNano),
    };
  }

  /** Removes a reservation, giving back what it still holds; undefined if unknown or finished. */
  private finish(reservationId: string): Reservation | undefined {
    const r = this.reservations.get(reservationId);
    if (!r) return undefined;
    this.reservations.delete(reservationId);
    if (r.active) {
      r.key.open.delete(r);
      this.unhold(r);
    } else {
      r.key.expired.delete(r);
    }
    return r;
  }

  private unhold(r: Reservation): void {
    r.active = false;
    if (r.key.day.id === r.dayId) r.key.day.reservedNano -= r.amountNano;
    if (r.key.month.id === r.monthId) r.key.month.reservedNano -= r.amountNano;
  }

  /** Rolls windows forward and expires abandoned reservations. Amortized O(1). */
  private advance(key: KeyState, nowMs: number): void {
    const { day, month } = utcWindows(nowMs);
    if (day.id > key.day.id) key.day = { id: day.id, spentNano: 0, reservedNano: 0 };
    if (month.id > key.month.id) key.month = { id: month.id, spentNano: 0, reservedNano: 0 };
    for (const r of key.open) {
      if (r.expiresAtMs > nowMs) break;
      key.open.delete(r);
      this.unhold(r);
      key.expired.add(r);
    }
    for (const r of key.expired) {
      if (r.expiresAtMs + this.expiredRetentionMs > nowMs) break;
      key.expired.delete(r);
      this.reservations.delete(r.id);
    }
  }

  private loadKey(keyId: string, nowMs: number): Promise<KeyState> {
    const pending = this.loading.get(keyId);
    if (pending) return pending;
    const promise = this.seed(keyId, nowMs).then(
      (key) => {
        this.loading.delete(keyId);
        const raced = this.keys.get(keyId);
        if (raced) return raced;
        this.keys.set(keyId, key);
        return key;
      },
      (err: unknown) => {
        this.loading.delete(keyId);
        throw err;
      },
    );
    this.loading.set(keyId, promise);
    return promise;
  }

  private async seed(keyId: string, nowMs: number): Promise<KeyState> {
    const { day, month } = utcWindows(nowMs);
    const [daySpentUsd, monthSpentUsd] = this.loadSpend ? await loadWindowSpendUsd(this.loadSpend, keyId, { day, month }) : [0, 0];
    return {
      day: { id: day.id, spentNano: usdToNano(daySpentUsd), reservedNano: 0 },
      month: { id: month.id, spentNano: usdToNano(monthSpentUsd), reservedNano: 0 },
      open: new Set(),
      expired: new Set(),
    };
  }
}
