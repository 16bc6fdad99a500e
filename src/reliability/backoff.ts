import type { AbortLike } from '../providers/upstream-client.ts';

/**
 * Delay before retry number `attempt` (1-based): the upstream's retry-after when it gave one,
 * otherwise exponential backoff with full jitter, capped.
 */
export function retryDelayMs(attempt: number, opts: { baseMs: number; maxMs: number; retryAfterMs?: number }, random: () => number = Math.random): number {
  if (opts.retryAfterMs !== undefined) return opts.retryAfterMs;
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export function sleep(ms: number, signal?: AbortLike): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
