import { describe, expect, it } from 'vitest';
import { PeriodicRefresh } from './periodic-refresh.ts';

describe('PeriodicRefresh', () => {
  it('shares one run between concurrent callers, and runs again once it finished', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const refresh = new PeriodicRefresh(
      () =>
        new Promise<void>((resolve) => {
          runs++;
          release = resolve;
        }),
      60_000,
    );
    const a = refresh.run();
    expect(refresh.run()).toBe(a);
    release();
    await a;
    void refresh.run();
    expect(runs).toBe(2);
    release();
  });

  it('runs at start, reports a failed run to onError, and stop waits for the run in flight', async () => {
    const errors: unknown[] = [];
    let finished = false;
    const refresh = new PeriodicRefresh(
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
