const DAY_MS = 86_400_000;
/** How often the stored spend of the day is read again (it includes other replicas' calls once flushed). */
const REFRESH_MS = 60_000;

export interface DailySpendCapDeps {
  /** USD the day may cost; read on every check, so a config reload applies at once. */
  capUsd: () => number;
  /** The stored spend since a time (all replicas); missing in tests that keep spend in memory only. */
  storedSince?: (sinceMs: number) => Promise<number>;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/**
 * A daily USD cap for the gateway's own calls (the judge's grading calls): spend is counted per UTC day,
 * in memory as calls finish and from the store (so a restart or another replica's calls count too). The
 * check is synchronous: it never waits for the store, so it never delays anything.
 */
export class DailySpendCap {
  private dayStartMs = -1;
  private localUsd = 0;
  private storedUsd = 0;
  private lastReadMs = -Infinity;
  private reading = false;

  constructor(private readonly deps: DailySpendCapDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Starts a new UTC day's count when the day changed. */
  private roll(): void {
    const day = Math.floor(this.now() / DAY_MS) * DAY_MS;
    if (day === this.dayStartMs) return;
    this.dayStartMs = day;
    this.localUsd = 0;
    this.storedUsd = 0;
    this.lastReadMs = -Infinity;
  }

  /** What today's calls cost so far, as far as this process knows. */
  spentTodayUsd(): number {
    this.roll();
    return Math.max(this.localUsd, this.storedUsd);
  }

  /** True while today's spend is below the cap (and starts a background read of the stored spend when due). */
  allows(): boolean {
    this.roll();
    this.refresh();
    return this.spentTodayUsd() < this.deps.capUsd();
  }

  /** Adds a finished call's cost to today's spend. */
  add(costUsd: number): void {
    this.roll();
    this.localUsd += costUsd;
    this.storedUsd += costUsd;
  }

  private refresh(): void {
    const read = this.deps.storedSince;
    if (!read || this.reading || this.now() - this.lastReadMs < REFRESH_MS) return;
    this.reading = true;
    this.lastReadMs = this.now();
    const day = this.dayStartMs;
    read(day)
      .then((usd) => {
        if (day === this.dayStartMs) this.storedUsd = Math.max(this.storedUsd, usd);
      })
      .catch((err: unknown) => this.deps.onError?.(err))
      .finally(() => (this.reading = false));
  }
}
