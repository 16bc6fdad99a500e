/**
 * A refresh that runs now and then every `intervalMs` in the background (the timer does not keep the
 * process alive); subclasses say what `work` is. Errors go to `onError`; concurrent `refresh()`
 * callers share the refresh in flight, so a caller that needs fresh data (a report) and the timer
 * never run it twice at once.
 */
export abstract class PeriodicRefresh {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly onError?: (err: unknown) => void,
  ) {}

  protected abstract work(): Promise<unknown>;

  /** Refreshes now and then every interval; refresh errors go to `onError`. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.refresh().catch((err: unknown) => this.onError?.(err));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a refresh in flight (its error is the timer's, already reported). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Refreshes now; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    this.running ??= this.work()
      .then(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
