import { GCRA_LUA, TAKE_TOKENS_LUA } from '../auth/redis-rate-limiter.ts';
import { RedisScript } from './redis-script.ts';

/**
 * The Lua scripts of the Redis budget ledger (key layout: redis-budget-ledger.ts). Each operation is
 * one script, so check-and-reserve is atomic across replicas.
 *
 * Holds (open reservations and leases) expire by Redis's clock: a script scores a hold at Redis's
 * TIME plus its TTL and sweeps what Redis's TIME has passed, so replicas whose clocks disagree cannot
 * free each other's live holds or keep a dead one past its TTL. (TIME before writes needs effects
 * replication, the only mode since Redis 7 and the default since Redis 5.)
 */

const SWEEP_BATCH = 100;

// Shared Lua helpers. KEYS[1] day hash, KEYS[2] month hash, KEYS[3] open set.
const LUA_HELPERS = `
local function redisNowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Amounts stay decimal strings when passed back to Redis: Lua would format big numbers as 1e+15.
local function parse(member)
  return string.match(member, '^[^.]*%.(%d+)%.(%d+)%.(%d+)$')
end
local function unhold(key, amount)
  if redis.call('EXISTS', key) == 0 then return end
  if redis.call('HINCRBY', key, 'r', '-' .. amount) < 0 then redis.call('HSET', key, 'r', 0) end
end
local function sweep(now, dayId, monthId)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now), 'LIMIT', 0, ${SWEEP_BATCH})
  for _, member in ipairs(expired) do
    local a, d, m = parse(member)
    if a then
      if d == dayId then unhold(KEYS[1], a) end
      if m == monthId then unhold(KEYS[2], a) end
    end
    redis.call('ZREM', KEYS[3], member)
  end
end
local function num(v) return tonumber(v or '0') or 0 end
-- Creates a missing window from its seed (the store's spend); false when a seed is needed and is -1.
local function seedWindows(daySeed, monthSeed)
  local dayExists = redis.call('EXISTS', KEYS[1]) == 1
  local monthExists = redis.call('EXISTS', KEYS[2]) == 1
  if (not dayExists and daySeed == '-1') or (not monthExists and monthSeed == '-1') then return false end
  if not dayExists then redis.call('HSET', KEYS[1], 's', daySeed, 'r', 0) end
  if not monthExists then redis.call('HSET', KEYS[2], 's', monthSeed, 'r', 0) end
  return true
end
`;

// KEYS: day, month, open, marker. ARGV: amount, dayLimit, monthLimit, dayTtl, monthTtl, hold TTL
// (from Redis's TIME), markerTtl, member, dayId, monthId, daySeed, monthSeed (-1: ask the caller to load).
const RESERVE_LUA = `${LUA_HELPERS}
local function seeded()
  return seedWindows(ARGV[11], ARGV[12])
end
local function reserve()
  local amount = tonumber(ARGV[1])
  local dayLimit = tonumber(ARGV[2])
  local monthLimit = tonumber(ARGV[3])
  local now = redisNowMs()
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  sweep(now, ARGV[9], ARGV[10])
  local ds, dr = num(redis.call('HGET', KEYS[1], 's')), num(redis.call('HGET', KEYS[1], 'r'))
  if dayLimit >= 0 and ds + dr + amount > dayLimit then return {0, 'day', ds, dr} end
  local ms, mr = num(redis.call('HGET', KEYS[2], 's')), num(redis.call('HGET', KEYS[2], 'r'))
  if monthLimit >= 0 and ms + mr + amount > monthLimit then return {0, 'month', ms, mr} end
  redis.call('HINCRBY', KEYS[1], 'r', ARGV[1])
  redis.call('HINCRBY', KEYS[2], 'r', ARGV[1])
  redis.call('ZADD', KEYS[3], string.format('%.0f', now + tonumber(ARGV[6])), ARGV[8])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[7])
  return {1, ds + dr + amount, ms + mr + amount}
end
`;

export const RESERVE = new RedisScript(`${RESERVE_LUA}
if not seeded() then return {-1} end
return reserve()
`);

// The rate limit and the reservation in one script. KEYS and ARGV as RESERVE, then KEYS[5] the rate
// limit's TAT, ARGV[13..15] its now µs (the replica's clock, as RedisRateLimiter), interval µs, tolerance µs. Nothing changes before the windows
// are seeded (the caller runs it again with the seeds); a refused rate limit reserves nothing.
export const RATE_LIMIT_THEN_RESERVE = new RedisScript(`${RESERVE_LUA}${GCRA_LUA}
if not seeded() then return {-1} end
local wait = gcra(KEYS[5], tonumber(ARGV[13]), tonumber(ARGV[14]), tonumber(ARGV[15]))
if wait then return {2, wait} end
return reserve()
`);

// Settles or releases the reservations of one key and one pair of windows. KEYS: day, month, open,
// then one marker per reservation. ARGV: per reservation its member and actual nano-USD (-1: release).
export const FINISH = new RedisScript(`${LUA_HELPERS}
for i = 4, #KEYS do
  local member, actual = ARGV[2 * i - 7], ARGV[2 * i - 6]
  if redis.call('DEL', KEYS[i]) == 1 then
    local a = parse(member)
    if redis.call('ZREM', KEYS[3], member) == 1 and a then
      unhold(KEYS[1], a)
      unhold(KEYS[2], a)
    end
    if actual ~= '-1' then
      if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 's', actual) end
      if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HINCRBY', KEYS[2], 's', actual) end
    end
  end
end
return 1
`);

// KEYS: day, month, open. ARGV: dayId, monthId.
export const SPENT = new RedisScript(`${LUA_HELPERS}
sweep(redisNowMs(), ARGV[1], ARGV[2])
return {
  redis.call('EXISTS', KEYS[1]), num(redis.call('HGET', KEYS[1], 's')),
  redis.call('EXISTS', KEYS[2]), num(redis.call('HGET', KEYS[2], 's')), num(redis.call('HGET', KEYS[2], 'r'))
}
`);

// KEYS: day, month. ARGV: nano-USD spent elsewhere (while Redis was unreachable). A missing window
// is left alone: it is seeded from the store, whose rows already hold that spend.
export const ADD_SPENT = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 's', ARGV[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HINCRBY', KEYS[2], 's', ARGV[1]) end
return 1
`);

// A replica's budget lease (budget-lease.ts): one open reservation whose amount changes each trip.
// KEYS: day, month, open, the lease's state hash, then optionally the rate limit's TAT.
// ARGV: 1 previous member ('' for none), 2 new member's prefix, 3 spend to add (settled under the
// lease since the last trip), 4 hold to keep whatever the limits (covers what was admitted under the
// previous hold), 5 extra hold wanted, 6 day limit, 7 month limit (-1: none), 8 day TTL, 9 month
// TTL, 10 TTL of the hold (from Redis's TIME), 11 TTL of the open set and state, 12 day id, 13 month
// id, 14 day seed, 15 month seed (-1: ask the caller to load), 16 this trip's sequence number, 17 the
// share (per mille) of a window's free budget one trip may take, 18 rate-limit tokens wanted,
// 19 tokens given back, 20 now µs (the replica's clock, as RedisRateLimiter), 21 interval µs,
// 22 tolerance µs.
// A trip is applied once: a retried trip (same sequence number) answers what the first one did.
// Returns {1, hold, tokens granted, day used, month used} (a replay: no used) or {-1} (seed needed).
export const LEASE = new RedisScript(`${LUA_HELPERS}${TAKE_TOKENS_LUA}
local state = redis.call('HMGET', KEYS[4], 'seq', 'hold', 'tokens')
if state[1] == ARGV[16] then return {1, state[2], state[3]} end
if not seedWindows(ARGV[14], ARGV[15]) then return {-1} end
redis.call('PEXPIRE', KEYS[1], ARGV[8])
redis.call('PEXPIRE', KEYS[2], ARGV[9])
local now = redisNowMs()
sweep(now, ARGV[12], ARGV[13])
if ARGV[1] ~= '' and redis.call('ZREM', KEYS[3], ARGV[1]) == 1 then
  local a = parse(ARGV[1])
  if a then
    unhold(KEYS[1], a)
    unhold(KEYS[2], a)
  end
end
if ARGV[3] ~= '0' then
  redis.call('HINCRBY', KEYS[1], 's', ARGV[3])
  redis.call('HINCRBY', KEYS[2], 's', ARGV[3])
end
local keep = tonumber(ARGV[4])
local extra = tonumber(ARGV[5])
local function room(key, limit)
  if limit < 0 then return end
  local free = limit - num(redis.call('HGET', key, 's')) - num(redis.call('HGET', key, 'r')) - keep
  local share = math.floor(free * tonumber(ARGV[17]) / 1000)
  if share < extra then extra = share end
end
room(KEYS[1], tonumber(ARGV[6]))
room(KEYS[2], tonumber(ARGV[7]))
if extra < 0 then extra = 0 end
local hold = string.format('%.0f', keep + extra)
if hold ~= '0' then
  redis.call('HINCRBY', KEYS[1], 'r', hold)
  redis.call('HINCRBY', KEYS[2], 'r', hold)
  redis.call('ZADD', KEYS[3], string.format('%.0f', now + tonumber(ARGV[10])), ARGV[2] .. '.' .. hold .. '.' .. ARGV[12] .. '.' .. ARGV[13])
  redis.call('PEXPIRE', KEYS[3], ARGV[11])
end
local granted = 0
if KEYS[5] then
  granted = takeTokens(KEYS[5], tonumber(ARGV[20]), tonumber(ARGV[21]), tonumber(ARGV[22]), tonumber(ARGV[18]), tonumber(ARGV[19]))
end
redis.call('HSET', KEYS[4], 'seq', ARGV[16], 'hold', hold, 'tokens', granted)
redis.call('PEXPIRE', KEYS[4], ARGV[11])
local function used(key) return num(redis.call('HGET', key, 's')) + num(redis.call('HGET', key, 'r')) end
return {1, hold, granted, used(KEYS[1]), used(KEYS[2])}
`);
