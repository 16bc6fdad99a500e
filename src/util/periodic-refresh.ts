/**
 * Runs a refresh now and then every `intervalMs` in the background (the timer does not keep the
 * process alive). Errors go to `onError`; concurrent `run()` callers share the refresh in flight, so
 * a caller that needs fresh data (a report) and the timer never run it twice at once.
 */
export class PeriodicRefresh {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError?: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.run().catch((err: unknown) => this.onError?.(err));
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

  run(): Promise<void> {
    this.running ??= this.work()
      .then(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
