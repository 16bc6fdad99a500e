import { describe, expect, it } from 'vitest';
import { PeriodicRefresh } from './periodic-refresh.ts';

class FnRefresh extends PeriodicRefresh {
  constructor(
    private readonly fn: () => Promise<unknown>,
    intervalMs: number,
    onError?: (err: unknown) => void,
  ) {
    super(intervalMs, onError);
  }

  protected work(): Promise<unknown> {
    return this.fn();
  }
}

describe('PeriodicRefresh', () => {
  it('shares one run between concurrent callers, and runs again once it finished', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const refresh = new FnRefresh(
      () =>
        new Promise<void>((resolve) => {
          runs++;
          release = resolve;
        }),
      60_000,
    );
    const a = refresh.refresh();
    expect(refresh.refresh()).toBe(a);
    release();
    await a;
    void refresh.refresh();
    expect(runs).toBe(2);
    release();
  });

  it('runs at start, reports a failed run to onError, and stop waits for the run in flight', async () => {
    const errors: unknown[] = [];
    let finished = false;
    const refresh = new FnRefresh(
      async () => {
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
        throw new Error('store down');
      },
      60_000,
      (err) => errors.push(err),
    );
    refresh.start();
    await refresh.stop();
    expect(finished).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => (e as Error).message)).toEqual(['store down']);
  });
});
