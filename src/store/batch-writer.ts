import type { BatchSink, WriteBatch } from './kysely-store.ts';
import { RowQueue } from './row-queue.ts';
import type { BudgetReservationRow, DecisionRow, RequestRow, Store } from './types.ts';

/** pino's Logger satisfies this. */
export interface BatchWriterLogger {
  warn(obj: object, msg: string): void;
}

export interface BatchWriterOptions {
  /** Rows of each kind per transaction; reaching it also starts a flush before the timer. */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Past this many queued rows, enqueue returns a promise that resolves once the queue drains below it. */
  maxQueue?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Consecutive failed attempts after which `flush()`/`close()` reject; the rows stay queued. */
  maxFlushAttempts?: number;
  logger?: BatchWriterLogger;
}

export interface BatchWriterCounters {
  /** Rows waiting in memory now. */
  queued: number;
  enqueued: number;
  written: number;
  /** Committed transactions. */
  flushes: number;
  failedFlushes: number;
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
 * Takes rows off the request path and writes them in batches. Never drops a row: a failed write
 * keeps its rows at the head of the queue and is retried with exponential backoff.
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

  constructor(
    private readonly target: BatchTarget,
    options: BatchWriterOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxQueue = options.maxQueue ?? 50_000;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.retryMaxDelayMs = options.retryMaxDelayMs ?? 10_000;
    this.maxFlushAttempts = options.maxFlushAttempts ?? 5;
    this.logger = options.logger ?? consoleLogger;
    this.timer = setInterval(() => this.pumpInBackground(), options.flushIntervalMs ?? 200);
    // A pending log write must not keep the process alive; close() does the final flush.
    this.timer.unref();
  }

  enqueueRequest(row: RequestRow): void | Promise<void> {
    return this.accept(this.requests, row);
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
      this.reservations.droppedTotal >= reservationsTarget;
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

  /** Stops the timer and writes everything queued. Enqueueing after close throws. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.flush();
  }

  private accept<T>(queue: RowQueue<T>, row: T): void | Promise<void> {
    if (this.closed) throw new Error('BatchWriter is closed');
    queue.push(row);
    const queued = this.queuedRows();
    if (queued >= this.batchSize || queued > this.maxQueue) this.pumpInBackground();
    if (queued > this.maxQueue) {
      return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  private queuedRows(): number {
    return this.requests.length + this.decisions.length + this.reservations.length;
  }

  private pumpInBackground(): void {
    if (this.pumping || this.retryTimer !== null || this.queuedRows() === 0) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
    });
  }

  private async pump(): Promise<void> {
    while (this.queuedRows() > 0) {
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
      this.failedFlushCount += 1;
      this.consecutiveFailures += 1;
      this.lastError = err;
      this.logger.warn(
        { err, rows, consecutiveFailures: this.consecutiveFailures, retryInMs: this.retryDelayMs() },
        'store batch write failed; rows kept for retry',
      );
      return false;
    }
    this.requests.drop(batch.requests.length);
    this.decisions.drop(batch.decisions.length);
    this.reservations.drop(batch.reservations.length);
    this.writtenRows += rows;
    this.committedFlushes += 1;
    this.consecutiveFailures = 0;
    if (this.drainWaiters.length > 0 && this.queuedRows() <= this.maxQueue) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
    return true;
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
