import { oneLine } from '../util/component-health.ts';
import type { DiskSpool } from './disk-spool.ts';
import type { BatchSink, WriteBatch } from './kysely-store.ts';
import { RowQueue } from './row-queue.ts';
import type { BudgetReservationRow, DecisionRow, RequestRow, Store } from './types.ts';

/** pino's Logger satisfies this. */
export interface BatchWriterLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface BatchWriterOptions {
  /**
   * Rows of each kind per transaction; one kind reaching it also starts a flush before the timer (a
   * routed request's decision row does not halve the batch: larger commits rewrite the indexes'
   * leaf pages once for more rows).
   */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Past this many queued rows, enqueue returns a promise that resolves once the queue drains below it. */
  maxQueue?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Consecutive failed attempts after which `flush()`/`close()` reject; the rows stay queued. */
  maxFlushAttempts?: number;
  logger?: BatchWriterLogger;
  /** Where batches the store refuses go (and are replayed from, oldest first, before newer rows). */
  spool?: DiskSpool;
  /** Told of every write's outcome (undefined: committed), for health tracking. */
  onStoreResult?: (err: unknown) => void;
}

export interface BatchWriterCounters {
  /** Rows waiting in memory now. */
  queued: number;
  enqueued: number;
  written: number;
  /** Committed transactions. */
  flushes: number;
  failedFlushes: number;
  /** Batches and bytes waiting in the on-disk spool. */
  spoolSegments: number;
  spoolBytes: number;
}

/**
 * A KyselyStore commits each batch in one transaction (`writeBatch`); any other Store is written
 * with its three insert calls in order.
 */
export type BatchTarget = Pick<Store, 'insertRequests' | 'insertDecisions' | 'upsertReservations'> & Partial<BatchSink>;

const consoleLogger: BatchWriterLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
};

/**
 * Takes rows off the request path and writes them in batches. Never drops a row: a batch the store
 * refuses is spilled to the disk spool (or, without one or when it is full, kept at the head of the
 * queue) and retried with exponential backoff; spooled batches are written before newer rows.
 */
export class BatchWriter {
  private readonly requests = new RowQueue<RequestRow>();
  private readonly decisions = new RowQueue<DecisionRow>();
  private readonly reservations = new RowQueue<BudgetReservationRow>();
  private readonly batchSize: number;
  private readonly maxQueue: number;
  private readonly retryBaseDelayMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly maxFlushAttempts: number;
  private readonly logger: BatchWriterLogger;
  private readonly timer: NodeJS.Timeout;
  /** Serialises batch writes: each write starts after the previous one settled. */
  private writeChain: Promise<unknown> = Promise.resolve();
  private pumping = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private consecutiveFailures = 0;
  private lastError: unknown = undefined;
  private drainWaiters: Array<() => void> = [];
  private closed = false;
  private writtenRows = 0;
  private committedFlushes = 0;
  private failedFlushCount = 0;
  private readonly spool: DiskSpool | undefined;
  private readonly onStoreResult: ((err: unknown) => void) | undefined;
  /** Callers waiting for their request row to be committed or spooled (`enqueueRequestDurable`). */
  private durableWaiters: Array<{ pushed: number; resolve: () => void }> = [];

  constructor(
    private readonly target: BatchTarget,
    options: BatchWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxQueue = options.maxQueue ?? 50_000;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 5_000;
    this.maxFlushAttempts = options.maxFlushAttempts ?? 5;
    this.logger = options.logger ?? consoleLogger;
    this.spool = options.spool;
    this.onStoreResult = options.onStoreResult;
    this.timer = setInterval(() => this.pumpInBackground(), options.flushIntervalMs ?? 200);
    // A pending log write must not keep the process alive; close() does the final flush.
    this.timer.unref();
    // Batches spooled by an earlier run are replayed as soon as the store takes them.
    if (this.spool && !this.spool.isEmpty) setImmediate(() => this.pumpInBackground());
  }

  enqueueRequest(row: RequestRow): void | Promise<void> {
    return this.accept(this.requests, row);
  }

  /**
   * Enqueues a request row and resolves once it is committed to the store or spooled to disk: the
   * `store.durable` option awaits this before the answer's last byte.
   */
  enqueueRequestDurable(row: RequestRow): Promise<void> {
    const accepted = this.accept(this.requests, row);
    const pushed = this.requests.pushedTotal;
    const persisted = new Promise<void>((resolve) => this.durableWaiters.push({ pushed, resolve }));
    if (this.consecutiveFailures > 0 && this.spool) {
      // The store is failing: do not wait out the retry backoff, put the row on disk now (after
      // the write in progress, which may hold the same head rows).
      const spillThrough = (): void => {
        while (this.requests.droppedTotal < pushed && this.spillMemoryHead() > 0);
      };
      this.writeChain = this.writeChain.then(spillThrough, spillThrough);
    } else {
      this.pumpInBackground();
    }
    return Promise.all([accepted, persisted]).then(() => undefined);
  }

  enqueueDecision(row: DecisionRow): void | Promise<void> {
    return this.accept(this.decisions, row);
  }

  enqueueReservation(row: BudgetReservationRow): void | Promise<void> {
    return this.accept(this.reservations, row);
  }

  get counters(): BatchWriterCounters {
    return {
      queued: this.queuedRows(),
      enqueued: this.requests.pushedTotal + this.decisions.pushedTotal + this.reservations.pushedTotal,
      written: this.writtenRows,
      flushes: this.committedFlushes,
      failedFlushes: this.failedFlushCount,
      spoolSegments: this.spool?.segmentCount ?? 0,
      spoolBytes: this.spool?.bytes ?? 0,
    };
  }

  /** Writes every row enqueued before the call; rejects after `maxFlushAttempts` consecutive failures. */
  async flush(): Promise<void> {
    const requestsTarget = this.requests.pushedTotal;
    const decisionsTarget = this.decisions.pushedTotal;
    const reservationsTarget = this.reservations.pushedTotal;
    const done = (): boolean =>
      this.requests.droppedTotal >= requestsTarget &&
      this.decisions.droppedTotal >= decisionsTarget &&
      this.reservations.droppedTotal >= reservationsTarget &&
      (this.spool?.isEmpty ?? true);
    let failedAttempts = 0;
    while (!done()) {
      if (await this.writeNextBatch()) continue;
      failedAttempts += 1;
      if (failedAttempts >= this.maxFlushAttempts) {
        throw new Error(`store flush failed ${failedAttempts} times; ${this.queuedRows()} rows still queued`, {
          cause: this.lastError,
        });
      }
      await sleep(this.retryDelayMs());
    }
  }

  /**
   * Stops the timer and writes everything queued. When the store does not take it, the rows go to
   * the spool (replayed by the next start); without a spool that rejects. Enqueueing after close throws.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    try {
      await this.flush();
    } catch (err) {
      if (!this.spool) throw err;
      await this.writeChain.catch(() => undefined);
      let spooled = 0;
      while (this.queuedRows() > 0) {
        const rows = this.spillMemoryHead();
        if (rows === 0) throw err;
        spooled += rows;
      }
      this.logger.warn({ rows: spooled, spool: this.spool.dir }, 'store unreachable at shutdown: rows spooled to disk, replayed on the next start');
    }
  }

  private accept<T>(queue: RowQueue<T>, row: T): void | Promise<void> {
    if (this.closed) throw new Error('BatchWriter is closed');
    queue.push(row);
    const queued = this.queuedRows();
    if (queue.length >= this.batchSize || queued > this.maxQueue) this.pumpInBackground();
    if (queued > this.maxQueue) {
      return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  private queuedRows(): number {
    return this.requests.length + this.decisions.length + this.reservations.length;
  }

  private pumpInBackground(): void {
    if (this.pumping || this.retryTimer !== null || (this.queuedRows() === 0 && (this.spool?.isEmpty ?? true))) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
    });
  }

  private async pump(): Promise<void> {
    while (this.queuedRows() > 0 || !(this.spool?.isEmpty ?? true)) {
      if (await this.writeNextBatch()) continue;
      if (!this.closed) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.pumpInBackground();
        }, this.retryDelayMs());
        this.retryTimer.unref();
      }
      return;
    }
  }

  /** Writes the head of the queues in one transaction; false when the write failed (rows kept). */
  private writeNextBatch(): Promise<boolean> {
    const result = this.writeChain.then(() => this.writeHeadBatch());
    this.writeChain = result;
    return result;
  }

  private async writeHeadBatch(): Promise<boolean> {
    const spooled = this.spool?.oldest();
    if (spooled && this.spool) {
      try {
        await this.writeToTarget(spooled.batch);
      } catch (err) {
        this.noteFailure(err, spooled.segment.bytes);
        this.spillMemoryHead();
        return false;
      }
      this.spool.remove(spooled.segment);
      this.noteSuccess(spooled.batch);
      if (this.spool.isEmpty) this.logger.info?.({ spool: this.spool.dir }, 'spooled rows replayed into the store');
      return true;
    }
    return this.writeMemoryHead();
  }

  private async writeMemoryHead(): Promise<boolean> {
    const batch: WriteBatch = {
      requests: this.requests.peek(this.batchSize),
      decisions: this.decisions.peek(this.batchSize),
      reservations: this.reservations.peek(this.batchSize),
    };
    const rows = batch.requests.length + batch.decisions.length + batch.reservations.length;
    if (rows === 0) return true;
    try {
      await this.writeToTarget(batch);
    } catch (err) {
      this.noteFailure(err, rows);
      this.spillMemoryHead();
      return false;
    }
    this.dropHead(batch);
    this.noteSuccess(batch);
    return true;
  }

  /** Moves the head batch of the memory queues to the spool; the rows moved (0: no spool or it is full). */
  private spillMemoryHead(): number {
    if (!this.spool) return 0;
    const batch: WriteBatch = {
      requests: this.requests.peek(this.batchSize),
      decisions: this.decisions.peek(this.batchSize),
      reservations: this.reservations.peek(this.batchSize),
    };
    const rows = batch.requests.length + batch.decisions.length + batch.reservations.length;
    if (rows === 0) return 0;
    let spilled: boolean;
    try {
      spilled = this.spool.spill(batch);
    } catch (err) {
      this.logger.warn({ error: oneLine(err), spool: this.spool.dir }, 'spool write failed; rows kept in memory');
      return 0;
    }
    if (!spilled) return 0;
    this.dropHead(batch);
    return rows;
  }

  private dropHead(batch: WriteBatch): void {
    this.requests.drop(batch.requests.length);
    this.decisions.drop(batch.decisions.length);
    this.reservations.drop(batch.reservations.length);
    if (this.durableWaiters.length > 0) {
      const done = this.requests.droppedTotal;
      const still: typeof this.durableWaiters = [];
      for (const w of this.durableWaiters) {
        if (w.pushed <= done) w.resolve();
        else still.push(w);
      }
      this.durableWaiters = still;
    }
    if (this.drainWaiters.length > 0 && this.queuedRows() <= this.maxQueue) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private noteSuccess(batch: WriteBatch): void {
    this.writtenRows += batch.requests.length + batch.decisions.length + batch.reservations.length;
    this.committedFlushes += 1;
    this.consecutiveFailures = 0;
    this.onStoreResult?.(undefined);
  }

  /** Counts a failed write; logs the first of a run of failures only (health logs the outage). */
  private noteFailure(err: unknown, rows: number): void {
    this.failedFlushCount += 1;
    this.consecutiveFailures += 1;
    this.lastError = err;
    this.onStoreResult?.(err);
    if (this.consecutiveFailures === 1) {
      this.logger.warn(
        { error: oneLine(err), rows, spool: this.spool?.dir ?? null },
        this.spool ? 'store batch write failed; rows go to the spool until the store is back' : 'store batch write failed; rows kept for retry',
      );
    }
  }

  private async writeToTarget(batch: WriteBatch): Promise<void> {
    if (this.target.writeBatch !== undefined) {
      await this.target.writeBatch(batch);
      return;
    }
    // Requests before decisions, so a reader never sees a decision whose request is missing.
    await this.target.insertRequests([...batch.requests]);
    await this.target.insertDecisions([...batch.decisions]);
    await this.target.upsertReservations([...batch.reservations]);
  }

  private retryDelayMs(): number {
    const exponent = Math.max(0, this.consecutiveFailures - 1);
    return Math.min(this.retryMaxDelayMs, this.retryBaseDelayMs * 2 ** exponent);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
