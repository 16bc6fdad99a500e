import { MemoryRateLimiter, type RateLimiter, type RateLimitResult } from './rate-limiter.ts';

/**
 * A shared (Redis) rate limiter that keeps limits enforced while Redis is unreachable: each replica
 * then allows `share` of each key's requests per minute on its own (at least one). Back to the
 * shared state as soon as Redis answers again.
 */
export interface FallbackRateLimiterOptions {
  shared: RateLimiter;
  share: number;
  sharedDown: () => boolean;
  onSharedResult: (err: unknown) => void;
}

export class FallbackRateLimiter implements RateLimiter {
  private readonly local = new MemoryRateLimiter();

  constructor(private readonly opts: FallbackRateLimiterOptions) {}

  async hit(keyId: string, limitPerMin: number, nowMs: number): Promise<RateLimitResult> {
    if (!this.opts.sharedDown()) {
      try {
        const result = await this.opts.shared.hit(keyId, limitPerMin, nowMs);
        this.opts.onSharedResult(undefined);
        return result;
      } catch (err) {
        this.opts.onSharedResult(err);
      }
    }
    return this.local.hitSync(keyId, localLimit(limitPerMin, this.opts.share), nowMs);
  }
}

/** This replica's part of a limit while it enforces alone. */
function localLimit(limitPerMin: number, share: number): number {
  return Math.max(1, Math.floor(limitPerMin * share));
}
