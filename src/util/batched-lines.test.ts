import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { BatchedLines } from './batched-lines.ts';

function sink(): { writes: string[]; write(chunk: string): void } {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => void writes.push(chunk) };
}

describe('BatchedLines', () => {
  afterEach(() => vi.useRealTimers());

  it('writes access lines together after the flush delay, in order', () => {
    vi.useFakeTimers();
    const out = sink();
    const lines = new BatchedLines(out, 25);
    const log = pino({}, lines);
    log.info({ id: 'a' }, 'request');
    log.info({ id: 'b' }, 'request');
    expect(out.writes).toHaveLength(0);
    vi.advanceTimersByTime(25);
    expect(out.writes).toHaveLength(1);
    expect(
      out.writes[0]!.split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toEqual(['a', 'b']);
    lines.close();
  });

  it('writes any other line at once, after the access lines waiting before it', () => {
    vi.useFakeTimers();
    const out = sink();
    const lines = new BatchedLines(out, 25);
    const log = pino({}, lines);
    log.info({ id: 'a' }, 'request');
    log.warn('slow store');
    expect(out.writes).toHaveLength(2);
    expect(out.writes[0]).toContain('"id":"a"');
    expect(out.writes[1]).toContain('slow store');
    lines.close();
  });

  it('flushes once the waiting lines pass the size bound, and on close', () => {
    const out = sink();
    const lines = new BatchedLines(out, 60_000, 100);
    const log = pino({}, lines);
    log.info({ id: 'a' }, 'request');
    expect(out.writes).toHaveLength(0);
    log.info({ id: 'b', pad: 'x'.repeat(100) }, 'request');
    expect(out.writes).toHaveLength(1);
    log.info({ id: 'c' }, 'request');
    lines.close();
    expect(out.writes).toHaveLength(2);
    expect(out.writes[1]).toContain('"id":"c"');
  });
});
