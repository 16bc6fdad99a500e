import type { Redis } from 'ioredis';
import { RedisScript } from '../costs/redis-script.ts';
import { type RateLimitResult, type RateLimiter, gcraParams, msToUs, retryAfterMsFromUs } from './rate-limiter.ts';

/**
 * GCRA rate limiter shared by all replicas: one Redis string per key holding the TAT in
 * microseconds, checked and advanced in one Lua script. The caller's clock is used, so replicas
 * should run NTP (skew shifts a key's window by the skew, no more).
 */

/** Lua `gcra(key, now, interval, tolerance)`: advances the TAT and returns false, or returns the µs to wait (a string). */
export const GCRA_LUA = `
local function gcra(key, now, interval, tolerance)
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  if tat - now > tolerance then return string.format('%.0f', tat - now - tolerance) end
  local nextTat = tat + interval
  redis.call('SET', key, string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - now) / 1000) + 1)
  return false
end
`;

// KEYS: tat. ARGV: now µs, interval µs, tolerance µs. Integers stay below 2^53, exact in Lua.
const GCRA = new RedisScript(`${GCRA_LUA}
local wait = gcra(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
if wait then return {0, wait} end
return {1}
`);

/**
 * A key's TAT: under the key's `{keyId}` hash tag, beside its budget windows, so one script can check
 * both (RedisBudgetLedger.reserveAfterRateLimit) and a cluster keeps them in one slot.
 */
export function rateLimitKey(prefix: string, keyId: string): string {
  return `${prefix}{${keyId}}:rl`;
}

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
    const reply = (await GCRA.run(this.redis, [rateLimitKey(this.prefix, keyId)], [msToUs(nowMs), intervalUs, toleranceUs])) as [number, string?];
    if (reply[0] === 1) return { ok: true };
    return { ok: false, retryAfterMs: retryAfterMsFromUs(Number(reply[1])) };
  }
}
