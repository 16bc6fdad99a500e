/** Rate-limit tokens a lease may hold: this much of the key's sustained rate (budget and token leases alike). */
export const TOKEN_HOLD_MS = 250;
/** Leases (and busy-key notes) one replica keeps at most. */
export const MAX_LEASES = 10_000;

/** The most tokens a lease of a key limited to `limitPerMin` may hold. */
export function maxLeaseTokens(limitPerMin: number): number {
  return Math.floor((limitPerMin / 60_000) * TOKEN_HOLD_MS);
}

/**
 * Each key's last request served without a lease, so that only busy keys get one: busy is a second
 * request within `windowMs` (the time an idle lease is kept, so such a key keeps its lease).
 */
export class BusyKeys {
  private recent = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** Whether this request, at `monoMs`, makes the key busy; if not, it is noted as the key's last. */
  isBusy(mapKey: string, monoMs: number): boolean {
    const last = this.recent.get(mapKey);
    if (last !== undefined && monoMs - last <= this.windowMs) return true;
    if (this.recent.size >= MAX_LEASES) this.recent = new Map();
    this.recent.set(mapKey, monoMs);
    return false;
  }

  /** Forgets a key that now has its lease. */
  forget(mapKey: string): void {
    this.recent.delete(mapKey);
  }
}
