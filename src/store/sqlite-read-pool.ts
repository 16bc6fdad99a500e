import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface SqliteReadPoolOptions {
  /** The SQLite file; it must exist (the store's main connection creates and migrates it). */
  file: string;
  /** Applied on every reader connection, e.g. `busy_timeout = 5000`. */
  pragmas: readonly string[];
  /** Reader threads; default: one per core, at most 4. */
  threads?: number;
}

export interface ReadResult {
  rows: Record<string, unknown>[];
  numAffectedRows?: number;
}

interface Job {
  id: number;
  sql: string;
  parameters: readonly unknown[];
  resolve(result: ReadResult): void;
  reject(err: Error): void;
}

type Answer = { id: number; rows: Record<string, unknown>[] } | { id: number; numAffectedRows: number } | { id: number; error: string; code?: string };
type ReaderMessage = { type: 'ready' } | { type: 'fatal'; message: string } | Answer;

const WORKER_URL = new URL('./sqlite-read-worker.mjs', import.meta.url);

class Reader {
  job: Job | null = null;
  private constructor(readonly worker: Worker) {}

  static start(options: SqliteReadPoolOptions, onAnswer: (reader: Reader, msg: Answer) => void, onLost: (reader: Reader, err: Error) => void): Promise<Reader> {
    const worker = new Worker(WORKER_URL, { workerData: { file: options.file, pragmas: [...options.pragmas] } });
    const reader = new Reader(worker);
    return new Promise<Reader>((resolve, reject) => {
      let ready = false;
      worker.on('message', (msg: ReaderMessage) => {
        if ('type' in msg) {
          if (msg.type === 'ready') {
            ready = true;
            worker.unref();
            resolve(reader);
          } else reject(new Error(`SQLite reader could not open ${options.file}: ${msg.message}`));
          return;
        }
        onAnswer(reader, msg);
      });
      const lost = (err: Error): void => {
        if (!ready) reject(err);
        onLost(reader, err);
      };
      worker.on('error', (err) => lost(new Error(`SQLite reader failed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => lost(new Error(`SQLite reader exited (code ${code})`)));
    });
  }

  run(job: Job): void {
    this.job = job;
    // A busy reader keeps the process alive until it answers; an idle one must not.
    this.worker.ref();
    this.worker.postMessage({ id: job.id, sql: job.sql, parameters: job.parameters });
  }

  finish(): Job | null {
    const job = this.job;
    this.job = null;
    this.worker.unref();
    return job;
  }
}

/**
 * Read-only better-sqlite3 connections on worker threads. better-sqlite3 runs every query
 * synchronously on the calling thread, so on the main connection the report's concurrent
 * analyses ran one after another and held the gateway's event loop meanwhile; here each reader
 * runs one query at a time and the readers run side by side (WAL lets them read while the write
 * thread commits). Threads start on the first query; a thread that dies fails its query and is
 * replaced on the next one.
 */
export class SqliteReadPool {
  private readonly readers: Reader[] = [];
  private starting = 0;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly threads: number;

  constructor(private readonly options: SqliteReadPoolOptions) {
    this.threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  }

  /** Runs `sql` on the first free reader; the result is what better-sqlite3's `all` (or `run`) returns. */
  query(sql: string, parameters: readonly unknown[]): Promise<ReadResult> {
    if (this.closed) return Promise.reject(new Error('SQLite read pool is closed'));
    return new Promise<ReadResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, sql, parameters, resolve, reject });
      this.dispatch();
    });
  }

  /** Fails the queued queries, lets the running ones finish, and ends the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('SQLite read pool is closed'));
    await Promise.all(
      this.readers.map(async (reader) => {
        const exited = new Promise<void>((resolve) => reader.worker.once('exit', () => resolve()));
        // An idle reader is unref'd; unless ref'd again, a process awaiting this exit just ends.
        reader.worker.ref();
        reader.worker.postMessage({ type: 'close' });
        await exited;
      }),
    );
    this.readers.length = 0;
  }

  private dispatch(): void {
    for (const reader of this.readers) {
      if (this.queue.length === 0) return;
      if (reader.job === null) reader.run(this.queue.shift() as Job);
    }
    if (this.queue.length > this.starting && this.readers.length + this.starting < this.threads) this.spawn();
  }

  private spawn(): void {
    this.starting += 1;
    Reader.start(
      this.options,
      (reader, msg) => this.answer(reader, msg),
      (reader, err) => this.lose(reader, err),
    ).then(
      (reader) => {
        this.starting -= 1;
        if (this.closed) {
          void reader.worker.terminate();
          return;
        }
        this.readers.push(reader);
        this.dispatch();
      },
      (err: Error) => {
        this.starting -= 1;
        // With no reader at all the queue would wait forever: fail it with the cause.
        if (this.readers.length === 0 && this.starting === 0) for (const job of this.queue.splice(0)) job.reject(err);
      },
    );
  }

  private answer(reader: Reader, msg: Answer): void {
    const job = reader.finish();
    if (job !== null && job.id === msg.id) {
      if ('error' in msg) job.reject(Object.assign(new Error(msg.error), msg.code === undefined ? {} : { code: msg.code }));
      else if ('rows' in msg) job.resolve({ rows: msg.rows });
      else job.resolve({ rows: [], numAffectedRows: msg.numAffectedRows });
    }
    this.dispatch();
  }

  private lose(reader: Reader, err: Error): void {
    const index = this.readers.indexOf(reader);
    if (index < 0) return;
    this.readers.splice(index, 1);
    reader.finish()?.reject(err);
    if (!this.closed) this.dispatch();
  }
}
