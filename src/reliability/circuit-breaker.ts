/**
 * One breaker per model. Closed: calls flow and consecutive failures are counted. After
 * `failureThreshold` consecutive failures it opens for `cooldownMs`; then one half-open probe is let
 * through: its success closes the breaker, its failure opens it for another cooldown.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openedAtMs = 0;
  /** When the breaker first opened since it was last closed (half-open probes that fail keep it). */
  private unhealthySinceMs: number | null = null;
  private probeInFlight = false;
  private stateValue: BreakerState = 'closed';

  constructor(private options: BreakerOptions) {}

  configure(options: BreakerOptions): void {
    this.options = options;
  }

  state(nowMs: number): BreakerState {
    if (this.stateValue === 'open' && nowMs - this.openedAtMs >= this.options.cooldownMs) return 'half_open';
    return this.stateValue === 'open' ? 'open' : this.stateValue;
  }

  /** Whether a call may go now; in half-open state only one probe at a time is allowed. */
  tryAcquire(nowMs: number): boolean {
    const state = this.state(nowMs);
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    this.stateValue = 'half_open';
    return true;
  }

  /** Whether the breaker would currently refuse calls (without taking a probe slot). */
  isOpen(nowMs: number): boolean {
    const state = this.state(nowMs);
    return state === 'open' || (state === 'half_open' && this.probeInFlight);
  }

  /** Since when the breaker has not been closed (open, or half-open after failing), or null while closed. */
  openSince(): number | null {
    return this.stateValue === 'closed' ? null : this.unhealthySinceMs;
  }

  recordSuccess(): void {
    this.unhealthySinceMs = null;
    this.consecutiveFailures = 0;
    this.probeInFlight = false;
    this.stateValue = 'closed';
  }

  recordFailure(nowMs: number): void {
    this.consecutiveFailures += 1;
    if (this.stateValue === 'half_open' || this.consecutiveFailures >= this.options.failureThreshold) {
      this.stateValue = 'open';
      this.openedAtMs = nowMs;
      this.unhealthySinceMs ??= nowMs;
    }
    this.probeInFlight = false;
  }
}

/** Breakers keyed by model id, created on first use. */
export class BreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  constructor(private options: BreakerOptions) {}

  get(modelId: string): CircuitBreaker {
    let breaker = this.breakers.get(modelId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options);
      this.breakers.set(modelId, breaker);
    }
    return breaker;
  }

  configure(options: BreakerOptions): void {
    this.options = options;
    for (const breaker of this.breakers.values()) breaker.configure(options);
  }

  /** The models whose breaker is not closed, with since when (the alerts' breaker report). */
  notClosed(): { model: string; openSinceMs: number }[] {
    const out: { model: string; openSinceMs: number }[] = [];
    for (const [model, b] of this.breakers) {
      const since = b.openSince();
      if (since !== null) out.push({ model, openSinceMs: since });
    }
    return out;
  }

  openModels(nowMs: number): string[] {
    return [...this.breakers.entries()].filter(([, b]) => b.isOpen(nowMs)).map(([id]) => id);
  }
}
