import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { PeriodicRefresh } from '../../util/periodic-refresh.ts';
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
export class RollupRefresher extends PeriodicRefresh {
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    opts: RollupRefresherOptions = {},
  ) {
    super(opts.intervalMs ?? DEFAULT_ROLLUP_INTERVAL_MS, opts.onError);
    this.now = opts.now ?? Date.now;
  }

  /** Rolls up what is due now. */
  protected work(): Promise<unknown> {
    return refreshRollups(this.db, this.now());
  }
}
