import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { refreshRollups } from './refresh-rollups.ts';

export const DEFAULT_ROLLUP_INTERVAL_MS = 60_000;

export interface RollupRefresherOptions {
  intervalMs?: number;
  onError?: (err: unknown) => void;
  now?: () => number;
}

/**
 * Keeps the request rollup up to date in the background (the gateway runs one). Only speed depends on
 * it: an analysis reads the hours past the watermark from the raw rows, so a lagging rollup gives the
 * same answers, slower.
 */
export class RollupRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly opts: RollupRefresherOptions = {},
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.refresh().catch((err: unknown) => this.opts.onError?.(err));
    };
    tick();
    this.timer = setInterval(tick, this.opts.intervalMs ?? DEFAULT_ROLLUP_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Rolls up what is due now; concurrent callers share one refresh. */
  refresh(): Promise<unknown> {
    this.running ??= refreshRollups(this.db, (this.opts.now ?? Date.now)()).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
