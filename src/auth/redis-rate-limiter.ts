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

/**
 * Lua `takeTokens(key, now, interval, tolerance, want, returned)`: gives back `returned` tokens taken
 * earlier, then takes up to `want` at once (as many requests as GCRA would admit now) and returns how
 * many it took. A replica's token lease (leased-rate-limiter.ts, budget-lease.ts) admits that many
 * requests without asking again.
 */
export const TAKE_TOKENS_LUA = `
local function takeTokens(key, now, interval, tolerance, want, returned)
  local stored = redis.call('GET', key)
  local tat = tonumber(stored or now) - returned * interval
  if tat < now then tat = now end
  local granted = math.floor((tolerance - (tat - now)) / interval) + 1
  if granted > want then granted = want end
  if granted < 0 then granted = 0 end
  local nextTat = tat + granted * interval
  if nextTat > now then
    redis.call('SET', key, string.format('%.0f', nextTat), 'PX', math.ceil((nextTat - now) / 1000) + 1)
  elseif stored then
    redis.call('DEL', key)
  end
  return granted
end
`;

// KEYS: tat. ARGV: now µs, interval µs, tolerance µs, tokens wanted, tokens given back. Returns the tokens taken.
const TAKE_TOKENS = new RedisScript(`${TAKE_TOKENS_LUA}
return takeTokens(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]))
`);

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

  /** Gives back `returned` tokens, then takes up to `want` (one script); how many it took. */
  async takeTokens(keyId: string, limitPerMin: number, want: number, returned: number, nowMs: number): Promise<number> {
    const { intervalUs, toleranceUs } = gcraParams(limitPerMin);
    return Number(await TAKE_TOKENS.run(this.redis, [rateLimitKey(this.prefix, keyId)], [msToUs(nowMs), intervalUs, toleranceUs, want, returned]));
  }
}
