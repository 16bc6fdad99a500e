import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';

describe('InFlight', () => {
  it('resolves when the last request leaves', async () => {
    const f = new InFlight();
    f.enter();
    f.enter();
    const drained = f.drained(1000);
    f.leave();
    expect(f.size).toBe(1);
    f.leave();
    expect(await drained).toBe(true);
  });

  it('gives up after the timeout', async () => {
    const f = new InFlight();
    f.enter();
    expect(await f.drained(10)).toBe(false);
  });
});
