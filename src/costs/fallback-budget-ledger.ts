import type { BudgetLedger, BudgetLimits, KeySpend, LoadSpend, RateLimitedReserveResult, ReserveResult } from './budget-ledger.ts';
import { utcDayWindow, utcMonthWindow } from './budget-ledger.ts';
import { MemoryBudgetLedger } from './memory-budget-ledger.ts';

/**
 * A shared (Redis) ledger that keeps budgets enforced while Redis is unreachable: each replica then
 * admits requests on its own, against `share` of what was left of each limit when the outage began
 * (its spend as the store knows it), so N replicas with share ≤ 1/N cannot overspend together.
 * What a replica settles during the outage is added to the shared windows once Redis is back.
 *
 * With neither Redis nor the store answering there is no way to know a key's spend: reserve throws
 * BudgetStateUnavailableError (the server answers 503).
 */
export interface SharedLedger extends BudgetLedger {
  addSpent(keyId: string, amountUsd: number, atMs: number): Promise<void>;
  /** True for a reservation the shared ledger settles in memory (a lease's): its settle says nothing of Redis's health. */
  settlesLocally?(reservationId: string): boolean;
}

export interface FallbackBudgetLedgerOptions {
  shared: SharedLedger;
  /** Seeds each outage's per-replica windows. */
  loadSpend?: LoadSpend;
  /** Fraction (0–1] of each limit's remainder this replica may spend while Redis is down. */
  share: number;
  /** True while Redis is known to be unreachable: go local without trying it. */
  sharedDown: () => boolean;
  /** Told of every shared call's outcome (undefined: it answered). */
  onSharedResult: (err: unknown) => void;
}

export class BudgetStateUnavailableError extends Error {
  constructor(cause: unknown) {
    super('budget state is unavailable: neither Redis nor the store answers', { cause });
    this.name = 'BudgetStateUnavailableError';
  }
}

interface LocalReservation {
  ledger: MemoryBudgetLedger;
  keyId: string;
  amountUsd: number;
  createdAtMs: number;
  /** Its hold in Redis once Redis is back (handed over by sharedRecovered); settles go there. */
  sharedId?: string;
}

/** What Redis last said a key's windows used (spent + reserved), when. */
interface SharedView {
  atMs: number;
  dayUsd: number | undefined;
  monthUsd: number | undefined;
}

const MAX_VIEWS = 100_000;

/** A key's use when an outage's ledger first saw it: what that ledger starts from, and what was used. */
interface Baseline {
  /** The local ledger's own spend (the store's) at the start. */
  startDayUsd: number;
  startMonthUsd: number;
  /** The most anyone knew was used: the store, or Redis's last answer. */
  usedDayUsd: number;
  usedMonthUsd: number;
}

const LOCAL_PREFIX = 'local:';

export class FallbackBudgetLedger implements BudgetLedger {
  /** The current outage's per-replica ledger; a new one per outage, so each starts from the store. */
  private local: MemoryBudgetLedger | undefined;
  /** Spend per key and window when this outage's ledger first saw the key. */
  private baselines = new Map<string, Baseline>();
  private readonly localReservations = new Map<string, LocalReservation>();
  /** Settled locally, not yet added to Redis. */
  private unsynced: Array<{ keyId: string; amountUsd: number; atMs: number }> = [];
  /** Per key, the last use Redis reported: an outage's baseline when the store knows less (rows not yet written, holds in flight). */
  private views = new Map<string, SharedView>();

  constructor(private readonly opts: FallbackBudgetLedgerOptions) {}

  async reserve(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult> {
    if (!this.opts.sharedDown()) {
      try {
        const result = await this.opts.shared.reserve(keyId, amountUsd, limits, nowMs);
        this.opts.onSharedResult(undefined);
        this.noteView(keyId, nowMs, result);
        return result;
      } catch (err) {
        this.opts.onSharedResult(err);
      }
    }
    return this.reserveLocally(keyId, amountUsd, limits, nowMs);
  }

  /** Redis's one-script rate limit and reservation; undefined while Redis is down or when it fails (the caller goes step by step, locally). */
  async reserveAfterRateLimit(...args: Parameters<NonNullable<BudgetLedger['reserveAfterRateLimit']>>): Promise<RateLimitedReserveResult | undefined> {
    if (this.opts.sharedDown() || !this.opts.shared.reserveAfterRateLimit) return undefined;
    try {
      const result = await this.opts.shared.reserveAfterRateLimit(...args);
      this.opts.onSharedResult(undefined);
      if (result && !('rateLimited' in result)) this.noteView(args[0], args[3], result);
      return result;
    } catch (err) {
      this.opts.onSharedResult(err);
      return undefined;
    }
  }

  async settle(reservationId: string, actualUsd: number): Promise<void> {
    if (this.opts.shared.settlesLocally?.(reservationId)) return this.opts.shared.settle(reservationId, actualUsd);
    const local = this.localReservations.get(reservationId);
    if (!local || local.sharedId !== undefined) {
      this.localReservations.delete(reservationId);
      const sharedId = local?.sharedId ?? reservationId;
      const settled = await this.sharedCall((l) => l.settle(sharedId, actualUsd));
      // Its hold expires in Redis by itself; its spend is added when Redis is back.
      const keyId = local?.keyId ?? reservationId.slice(reservationId.indexOf(':') + 1);
      if (!settled && actualUsd > 0) this.unsynced.push({ keyId, amountUsd: actualUsd, atMs: local?.createdAtMs ?? Date.now() });
      return;
    }
    this.localReservations.delete(reservationId);
    await local.ledger.settle(reservationId.slice(LOCAL_PREFIX.length), actualUsd);
    if (actualUsd > 0) this.unsynced.push({ keyId: local.keyId, amountUsd: actualUsd, atMs: local.createdAtMs });
    if (!this.opts.sharedDown()) await this.syncToShared();
  }

  async release(reservationId: string): Promise<void> {
    if (this.opts.shared.settlesLocally?.(reservationId)) return this.opts.shared.release(reservationId);
    const local = this.localReservations.get(reservationId);
    if (!local || local.sharedId !== undefined) {
      this.localReservations.delete(reservationId);
      await this.sharedCall((l) => l.release(local?.sharedId ?? reservationId));
      return;
    }
    this.localReservations.delete(reservationId);
    await local.ledger.release(reservationId.slice(LOCAL_PREFIX.length));
  }

  async spent(keyId: string, nowMs: number): Promise<KeySpend> {
    if (!this.opts.sharedDown()) {
      try {
        return await this.opts.shared.spent(keyId, nowMs);
      } catch (err) {
        this.opts.onSharedResult(err);
      }
    }
    return this.localLedger().spent(keyId, nowMs);
  }

  /** Redis is back: adds what was settled without it, and the next outage starts from the store again. */
  async sharedRecovered(): Promise<void> {
    this.local = undefined;
    this.baselines = new Map();
    await this.handOverHolds();
    await this.syncToShared();
  }

  /**
   * Requests admitted locally and still in flight get their hold in Redis (no limit checked: they
   * were admitted), so Redis does not admit their budget to other requests again.
   */
  private async handOverHolds(): Promise<void> {
    const open = [...this.localReservations].filter(([, r]) => r.sharedId === undefined);
    await Promise.all(
      open.map(async ([id, local]) => {
        try {
          const held = await this.opts.shared.reserve(local.keyId, local.amountUsd, {}, local.createdAtMs);
          if (!held.ok) return;
          // Settled or released locally while the hold was on its way: nothing will settle this hold.
          if (this.localReservations.get(id) === local) local.sharedId = held.reservationId;
          else await this.opts.shared.release(held.reservationId);
        } catch (err) {
          this.opts.onSharedResult(err);
        }
      }),
    );
  }

  private noteView(keyId: string, nowMs: number, result: ReserveResult): void {
    if (!result.ok || (result.dayUsedUsd === undefined && result.monthUsedUsd === undefined)) return;
    const view = this.views.get(keyId);
    if (view) {
      view.atMs = nowMs;
      view.dayUsd = result.dayUsedUsd;
      view.monthUsd = result.monthUsedUsd;
      return;
    }
    if (this.views.size >= MAX_VIEWS) this.views = new Map();
    this.views.set(keyId, { atMs: nowMs, dayUsd: result.dayUsedUsd, monthUsd: result.monthUsedUsd });
  }

  /** Settlements not yet in Redis (tests, metrics). */
  get unsyncedSettlements(): number {
    return this.unsynced.length;
  }

  private async reserveLocally(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult> {
    const ledger = this.localLedger();
    let scaled: BudgetLimits;
    try {
      scaled = await this.localLimits(ledger, keyId, limits, nowMs);
    } catch (err) {
      throw new BudgetStateUnavailableError(err);
    }
    const result = await ledger.reserve(keyId, amountUsd, scaled, nowMs);
    if (!result.ok) return { ...result, limitUsd: limits[result.window === 'day' ? 'dailyUsd' : 'monthlyUsd'] ?? result.limitUsd };
    const id = `${LOCAL_PREFIX}${result.reservationId}`;
    this.localReservations.set(id, { ledger, keyId, amountUsd, createdAtMs: nowMs });
    return { ok: true, reservationId: id };
  }

  /** start + share × (limit − used₀) per window, used₀ being the key's use when the outage began (store or Redis's last answer). */
  private async localLimits(ledger: MemoryBudgetLedger, keyId: string, limits: BudgetLimits, nowMs: number): Promise<BudgetLimits> {
    const baseKey = `${keyId}\u0000${utcDayWindow(nowMs).id}\u0000${utcMonthWindow(nowMs).id}`;
    let base = this.baselines.get(baseKey);
    if (!base) {
      const spent = await ledger.spent(keyId, nowMs);
      // The store lags Redis (rows not yet written, holds of requests in flight): start from
      // whichever knew more. Others' reservations after Redis's last answer stay unseen.
      const view = this.views.get(keyId);
      const sameDay = view !== undefined && utcDayWindow(view.atMs).id === utcDayWindow(nowMs).id;
      const sameMonth = view !== undefined && utcMonthWindow(view.atMs).id === utcMonthWindow(nowMs).id;
      base = {
        startDayUsd: spent.dayUsd,
        startMonthUsd: spent.monthUsd,
        usedDayUsd: Math.max(spent.dayUsd, (sameDay && view.dayUsd) || 0),
        usedMonthUsd: Math.max(spent.monthUsd, (sameMonth && view.monthUsd) || 0),
      };
      this.baselines.set(baseKey, base);
    }
    // The local ledger counts from its start; it may add share × what was left of the limit.
    const scale = (limit: number | null | undefined, startUsd: number, usedUsd: number): number | null => {
      if (limit === null || limit === undefined) return null;
      return startUsd + this.opts.share * Math.max(0, limit - usedUsd);
    };
    return {
      dailyUsd: scale(limits.dailyUsd, base.startDayUsd, base.usedDayUsd),
      monthlyUsd: scale(limits.monthlyUsd, base.startMonthUsd, base.usedMonthUsd),
    };
  }

  private localLedger(): MemoryBudgetLedger {
    this.local ??= new MemoryBudgetLedger(this.opts.loadSpend ? { loadSpend: this.opts.loadSpend } : {});
    return this.local;
  }

  /** Runs a call on the shared ledger; false when it failed (the reservation then expires there by its TTL). */
  private async sharedCall(op: (ledger: SharedLedger) => Promise<void>): Promise<boolean> {
    try {
      await op(this.opts.shared);
      this.opts.onSharedResult(undefined);
      return true;
    } catch (err) {
      this.opts.onSharedResult(err);
      return false;
    }
  }

  private async syncToShared(): Promise<void> {
    while (this.unsynced.length > 0) {
      const next = this.unsynced[0];
      if (!next) break;
      try {
        await this.opts.shared.addSpent(next.keyId, next.amountUsd, next.atMs);
      } catch (err) {
        this.opts.onSharedResult(err);
        return;
      }
      this.unsynced.shift();
    }
  }
}
