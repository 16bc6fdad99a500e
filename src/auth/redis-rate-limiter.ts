import type { Redis } from 'ioredis';
import { RedisScript } from '../costs/redis-script.ts';
import { type RateLimitResult, type RateLimiter, gcraParams, msToUs, retryAfterMsFromUs } from './rate-limiter.ts';

/**
 * GCRA rate limiter shared by all replicas: one Redis string per key holding the TAT in
 * microseconds, checked and advanced in one Lua script. The caller's clock is used, so replicas
 * should run NTP (skew shifts a key's window by the skew, no more).
 */

// KEYS: tat. ARGV: now µs, interval µs, tolerance µs. Integers stay below 2^53, exact in Lua.
const GCRA = new RedisScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
if tat - now > tolerance then return {0, string.format('%.0f', tat - now - tolerance)} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - now) / 1000) + 1)
return {1}
`);

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** Prepended to every key, e.g. `aigw:rl:`; tests use a unique one per run. */
  keyPrefix?: string;
}

export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(opts: RedisRateLimiterOptions) {
    this.redis = opts.redis;
    this.prefix = opts.keyPrefix ?? 'aigw:rl:';
  }

  async hit(keyId: string, limitPerMin: number, nowMs: number): Promise<RateLimitResult> {
    const { intervalUs, toleranceUs } = gcraParams(limitPerMin);
    const reply = (await GCRA.run(this.redis, [this.prefix + keyId], [msToUs(nowMs), intervalUs, toleranceUs])) as [number, string?];
    if (reply[0] === 1) return { ok: true };
    return { ok: false, retryAfterMs: retryAfterMsFromUs(Number(reply[1])) };
  }
}
