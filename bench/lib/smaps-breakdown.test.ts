import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { anonBreakdown } from './smaps-breakdown.ts';

/** One smaps entry: the header line and the fields the breakdown reads. */
function entry(range: string, perms: string, name: string, anonKb: number): string {
  return [
    `${range} ${perms} 00000000 00:00 0                          ${name}`,
    `Size:                  4 kB`,
    `Anonymous:      ${anonKb} kB`,
    'VmFlags: rd wr mr mw me ac',
  ].join('\n');
}

describe('anonBreakdown', () => {
  it("splits anonymous memory into the main heap, other threads' arenas and the rest", () => {
    const smaps = [
      entry('5581a000-5681a000', 'rw-p', '[heap]', 9_000),
      // An arena heap grown to 20 MiB of its 64 MiB: rw-p at a 64 MiB boundary, then the reservation.
      entry('7f36c4000000-7f36c5400000', 'rw-p', '', 18_000),
      entry('7f36c5400000-7f36c8000000', '---p', '', 0),
      // A fully grown arena heap has no reservation behind it.
      entry('7f36d0000000-7f36d4000000', 'rw-p', '', 3_000),
      // A V8 page that happens to start on a 64 MiB boundary, followed by an unrelated mapping.
      entry('32caf4000000-32caf4040000', 'rw-p', '', 200),
      entry('32caf4100000-32caf4140000', '---p', '', 0),
      entry('7f3700000000-7f3700800000', 'rw-p', '', 8_000),
      // Private dirty pages of a library's data section count as anonymous too.
      entry('7f3800000000-7f3800001000', 'rw-p', '/usr/lib/libc.so.6', 4),
    ].join('\n');
    expect(anonBreakdown(smaps)).toEqual({
      mainMallocBytes: 9_000 * 1024,
      threadArenaBytes: 21_000 * 1024,
      threadArenaHeaps: 2,
      otherAnonBytes: 8_204 * 1024,
    });
  });

  it("accounts for all of a live process's anonymous memory", () => {
    const b = anonBreakdown(readFileSync('/proc/self/smaps', 'utf8'));
    const rssAnonBytes = Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) * 1024;
    // Read a moment apart, so allow for what this process allocated in between.
    expect(Math.abs(b.mainMallocBytes + b.threadArenaBytes + b.otherAnonBytes - rssAnonBytes) / rssAnonBytes).toBeLessThan(0.05);
    expect(b.mainMallocBytes).toBeGreaterThan(0);
  });
});
