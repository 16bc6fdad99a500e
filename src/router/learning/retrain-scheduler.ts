import type { RetrainConfig } from '../../config/learning-schema.ts';
import type { RetrainJob } from './retrain-process.ts';
import type { RetrainResult } from './retrain.ts';

export interface RetrainSchedulerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface RetrainSchedulerDeps {
  /** `routing.learning.retrain`, read on every check (a reload changes or stops the schedule). */
  config: () => RetrainConfig;
  /** The job of a retrain starting now. */
  job: (nowMs: number) => RetrainJob;
  /** Runs a job apart from the event loop (spawnRetrain in the gateway). */
  run: (job: RetrainJob, timeoutMs: number, signal: AbortSignal) => Promise<RetrainResult>;
  /** When any replica (or the CLI) last trained a candidate: the newest router model in the store. */
  lastTrainedAtMs: () => Promise<number | null>;
  /** Called after a promotion, so this gateway serves the new router without a restart. */
  onPromoted: (result: RetrainResult) => Promise<void>;
  logger?: RetrainSchedulerLogger;
  now?: () => number;
}

export interface RetrainCounters {
  runs: number;
  promoted: number;
  failed: number;
  last: { atMs: number; status: string; reason: string } | null;
}

/** How often the schedule is checked (a retrain is due at most this late). */
const CHECK_MS = 60_000;

/**
 * `routing.learning.retrain.every`: retrains the router from the store on a schedule with the same code and
 * guarded promotion as `aigw router train --from-store`. One run at a time, in a separate low-priority
 * process; a retrain by any replica or by the CLI resets the clock, so replicas rarely train twice.
 */
export class RetrainScheduler {
  readonly counters: RetrainCounters = { runs: 0, promoted: 0, failed: 0, last: null };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private lastAttemptMs = -Infinity;
  private readonly abort = new AbortController();
  private closed = false;

  constructor(private readonly deps: RetrainSchedulerDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  start(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      void this.check().finally(() => this.start());
    }, CHECK_MS);
    this.timer.unref();
  }

  /** Starts a retrain when one is due; resolves when it finished (or at once when none is due). */
  async check(): Promise<void> {
    const every = this.deps.config().every;
    if (this.closed || every === undefined || this.running) return;
    // A failed attempt leaves no router model behind: it still waits a full period before the next one.
    if (this.now() - this.lastAttemptMs < every) return;
    try {
      const last = await this.deps.lastTrainedAtMs();
      if (last !== null && this.now() - last < every) return;
    } catch (err) {
      this.deps.logger?.warn({ err }, 'retrain: reading the last retrain time failed');
      return;
    }
    this.running = this.runOnce().finally(() => (this.running = null));
    await this.running;
  }

  private async runOnce(): Promise<void> {
    const startedMs = this.now();
    this.lastAttemptMs = startedMs;
    this.counters.runs += 1;
    try {
      const result = await this.deps.run(this.deps.job(startedMs), this.deps.config().timeout, this.abort.signal);
      if (this.closed) return;
      this.counters.last = { atMs: startedMs, status: result.status, reason: result.evaluation.reason };
      this.deps.logger?.info(
        { id: result.id, version: result.version, status: result.status, reason: result.evaluation.reason },
        'retrain: scheduled retrain done',
      );
      if (result.status === 'live') {
        this.counters.promoted += 1;
        await this.deps.onPromoted(result);
      }
    } catch (err) {
      this.counters.failed += 1;
      this.counters.last = { atMs: startedMs, status: 'failed', reason: err instanceof Error ? err.message : String(err) };
      this.deps.logger?.warn({ err }, 'retrain: scheduled retrain failed');
    }
  }

  /** Stops the schedule and kills a retrain in progress (nothing is stored until it finishes). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.running;
  }
}
