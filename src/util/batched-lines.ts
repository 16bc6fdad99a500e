/**
 * A pino destination that gathers access-log lines (`"msg":"request"`) and writes them to `out`
 * together, at most `flushMs` after the first one or once `maxBytes` are waiting: one write call for
 * many lines instead of one per request (on Linux every write to a pipe or file stdout is a
 * synchronous syscall). Any other line (start-up, warnings, errors) flushes what is waiting and is
 * written at once, so lines keep their order and only access lines are ever late. What is still
 * waiting when the process exits is written by the `exit` hook; a SIGKILL loses up to `flushMs` of
 * access lines (the request rows in the store are not affected).
 */
export interface LineSink {
  write(chunk: string): unknown;
}

const ACCESS_LINE_END = '"msg":"request"}\n';

export class BatchedLines {
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly onExit = () => this.flush();

  constructor(
    private readonly out: LineSink,
    private readonly flushMs = 25,
    private readonly maxBytes = 64 * 1024,
  ) {
    process.once('exit', this.onExit);
  }

  write(chunk: string): boolean {
    if (!chunk.endsWith(ACCESS_LINE_END)) {
      this.flush();
      this.out.write(chunk);
      return true;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= this.maxBytes) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
    return true;
  }

  /** Writes every waiting line now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    this.out.write(text);
  }

  /** Flushes and stops listening for the process's exit. */
  close(): void {
    this.flush();
    process.off('exit', this.onExit);
  }
}
