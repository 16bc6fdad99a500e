import { Worker } from 'node:worker_threads';
import type { ClosableBatchSink, WriteBatch } from './kysely-store.ts';
import {
  DECISIONS_SPEC,
  LEARNING_ROWS_SPEC,
  LOG_TABLE_SPECS,
  REQUESTS_SPEC,
  RESERVATIONS_SPEC,
  flattenDecisionRows,
  flattenLearningRows,
  flattenRequestRows,
  flattenReservationRows,
  type LogTableSpec,
} from './log-tables.ts';
import { lastWritePerReservation } from './row-codec.ts';
import type { LearningRowRecord } from './types.ts';

export interface SqliteWriteThreadOptions {
  /** The SQLite file; migrations must already have run on it. */
  file: string;
  /** Applied in order on the thread's own connection, e.g. `synchronous = NORMAL`. */
  pragmas: readonly string[];
  /** Rows per message to the thread; the main thread yields to its event loop between messages. */
  rowsPerMessage?: number;
  /** How long close() waits for the thread to close its connection before terminating it. */
  closeTimeoutMs?: number;
}

/** One slice of a write: its rows are flattened only when posted. */
interface TableMessage {
  spec: LogTableSpec;
  flatten: () => unknown[];
}

interface PendingWrite {
  resolve(): void;
  reject(err: Error): void;
}

type WorkerMessage =
  { type: 'ready' } | { type: 'fatal'; message: string } | { type: 'ack'; id: number } | { type: 'nack'; id: number; message: string; code?: string };

const WORKER_URL = new URL('./sqlite-write-worker.mjs', import.meta.url);

/**
 * Commits batch-writer batches on a worker thread with its own better-sqlite3 connection, so the
 * INSERTs (synchronous in better-sqlite3) never stall the gateway's event loop; WAL keeps the main
 * thread's connection free to read meanwhile. The main thread only flattens rows and posts them.
 * A thread that dies fails its pending writes (the batch writer keeps and retries those rows) and
 * is started again on the next write.
 */
export class SqliteWriteThread implements ClosableBatchSink {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, PendingWrite>();
  private readonly inFlight = new Set<Promise<void>>();
  private nextId = 1;
  private closed = false;
  private readonly rowsPerMessage: number;
  private readonly closeTimeoutMs: number;

  private constructor(private readonly options: SqliteWriteThreadOptions) {
    this.rowsPerMessage = Math.max(1, options.rowsPerMessage ?? 100);
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  }

  /** Starts the thread and waits until its connection is open and its statements are prepared. */
  static async start(options: SqliteWriteThreadOptions): Promise<SqliteWriteThread> {
    const thread = new SqliteWriteThread(options);
    await thread.ensureWorker();
    return thread;
  }

  /**
   * Starts the thread without waiting for it (the gateway listens while it boots, ~0.1–0.5 s on its own
   * core): a write posted meanwhile waits for it. A failed start goes to `onStartFailed` at once (the
   * gateway marks the store down: one log line, `/health` degraded) and to the first write, which tries
   * a new thread.
   */
  static startInBackground(options: SqliteWriteThreadOptions, onStartFailed?: (err: Error) => void): SqliteWriteThread {
    const thread = new SqliteWriteThread(options);
    thread.ensureWorker().catch((err: Error) => onStartFailed?.(err));
    return thread;
  }

  /** Whether the thread is up (its connection open, statements prepared). */
  get isReady(): boolean {
    return this.worker !== null;
  }

  /** Resolves once every row of `batch` is committed in one transaction; rejects with nothing committed. */
  writeBatch(batch: WriteBatch): Promise<void> {
    return this.track(() => [
      ...this.chunks(REQUESTS_SPEC, batch.requests, flattenRequestRows),
      ...this.chunks(DECISIONS_SPEC, batch.decisions, flattenDecisionRows),
      ...this.chunks(RESERVATIONS_SPEC, lastWritePerReservation(batch.reservations), flattenReservationRows),
    ]);
  }

  /** The learning loop's rows, committed here like a batch: the main thread's connection never runs the INSERT. */
  writeLearningRows(rows: readonly LearningRowRecord[]): Promise<void> {
    return this.track(() => this.chunks(LEARNING_ROWS_SPEC, rows, flattenLearningRows));
  }

  private track(messages: () => TableMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('SQLite write thread is closed'));
    const write = this.postMessages(messages);
    this.inFlight.add(write);
    const forget = (): void => {
      this.inFlight.delete(write);
    };
    write.then(forget, forget);
    return write;
  }

  /** Waits for the writes already started, then closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    const worker = this.worker ?? (await this.starting?.catch(() => null)) ?? null;
    if (worker === null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void worker.terminate(), this.closeTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private async postMessages(slices: () => TableMessage[]): Promise<void> {
    const worker = await this.ensureWorker();
    const id = this.nextId++;
    const committed = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    // The thread can die while the slices are still being posted; the caller sees that rejection
    // when this function returns `committed`, so it must not count as unhandled meanwhile.
    committed.catch(() => undefined);
    this.updateRef(worker);
    const messages = slices();
    try {
      for (const [index, message] of messages.entries()) {
        worker.postMessage({ type: 'rows', id, table: message.spec.table, values: message.flatten() });
        // A large batch is cloned in slices so the event loop can serve requests in between.
        if (index < messages.length - 1) await yieldToEventLoop();
        if (!this.pending.has(id)) break; // the thread died meanwhile; `committed` is already rejected
      }
      worker.postMessage({ type: 'commit', id });
    } catch (err) {
      worker.postMessage({ type: 'discard', id });
      this.settle(id, err instanceof Error ? err : new Error(String(err)));
    }
    return committed;
  }

  private chunks<Row>(spec: LogTableSpec, rows: readonly Row[], flatten: (rows: readonly Row[]) => unknown[]): TableMessage[] {
    const out: TableMessage[] = [];
    for (let start = 0; start < rows.length; start += this.rowsPerMessage) {
      const slice = rows.slice(start, start + this.rowsPerMessage);
      out.push({ spec, flatten: () => flatten(slice) });
    }
    return out;
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker !== null) return Promise.resolve(this.worker);
    this.starting ??= this.spawn().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private spawn(): Promise<Worker> {
    const worker = new Worker(WORKER_URL, {
      workerData: { file: this.options.file, pragmas: [...this.options.pragmas], tables: LOG_TABLE_SPECS },
    });
    return new Promise<Worker>((resolve, reject) => {
      let isReady = false;
      worker.on('message', (msg: WorkerMessage) => {
        switch (msg.type) {
          case 'ready':
            isReady = true;
            this.worker = worker;
            this.updateRef(worker);
            resolve(worker);
            return;
          case 'fatal':
            reject(new Error(`SQLite write thread could not open ${this.options.file}: ${msg.message}`));
            return;
          case 'ack':
            this.settle(msg.id);
            return;
          case 'nack':
            this.settle(msg.id, Object.assign(new Error(msg.message), msg.code === undefined ? {} : { code: msg.code }));
            return;
        }
      });
      const lost = (err: Error): void => {
        if (this.worker === worker) this.worker = null;
        if (!isReady) reject(err);
        for (const id of [...this.pending.keys()]) this.settle(id, err);
      };
      worker.on('error', (err) => lost(new Error(`SQLite write thread failed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => lost(new Error(`SQLite write thread exited (code ${code})`)));
    });
  }

  private settle(id: number, err?: Error): void {
    const write = this.pending.get(id);
    if (write === undefined) return;
    this.pending.delete(id);
    if (err === undefined) write.resolve();
    else write.reject(err);
    if (this.worker !== null) this.updateRef(this.worker);
  }

  /** An idle thread must not keep the process alive; one with a write pending must, or its ack is lost. */
  private updateRef(worker: Worker): void {
    if (this.pending.size > 0) worker.ref();
    else worker.unref();
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
