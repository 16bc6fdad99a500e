import { describe, expect, it } from 'vitest';
import { sleep } from '../reliability/backoff.ts';
import { ClientGone } from './client-gone.ts';

describe('ClientGone', () => {
  it('runs each abort listener once, not the removed ones, and none added after the abort', () => {
    const gone = new ClientGone();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    gone.addEventListener('abort', () => calls.push('a'));
    gone.addEventListener('abort', removed);
    gone.removeEventListener('abort', removed);
    gone.abort();
    gone.abort();
    gone.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['a']);
    expect(gone.aborted).toBe(true);
    expect((gone.reason as DOMException).name).toBe('AbortError');
  });

  it('gives a real AbortSignal that aborts with it, made before or after the abort', () => {
    const before = new ClientGone();
    const signal = before.signal;
    expect(signal.aborted).toBe(false);
    before.abort();
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(before.reason);

    const after = new ClientGone();
    after.abort();
    expect(after.signal.aborted).toBe(true);
  });

  it('cuts a retry backoff short like an AbortSignal', async () => {
    const gone = new ClientGone();
    const started = Date.now();
    const waiting = sleep(10_000, gone);
    gone.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
