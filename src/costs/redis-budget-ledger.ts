import type { Redis } from 'ioredis';
import type { BudgetLedger, BudgetLimits, KeySpend, LedgerOptions, LoadSpend, ReserveResult } from './budget-ledger.ts';
import { amountNano, budgetRejection, ledgerTimings, loadWindowSpendUsd, nanoToUsd, reservationNano, usdToNano, utcWindows } from './budget-ledger.ts';
import { RedisScript } from './redis-script.ts';
import { timeOrderedId } from '../util/time-ordered-id.ts';

/**
 * Budget ledger shared by every gateway replica through Redis. Each operation is one Lua script,
 * so check-and-reserve is atomic across replicas.
 *
 * Keys (all of one API key share the `{keyId}` hash tag, so one cluster slot holds them):
 *   <prefix>{keyId}:d:<dayId>    hash s (spent) r (reserved), nano-USD; expires after its day
 *   <prefix>{keyId}:m:<monthId>  same for the month
 *   <prefix>{keyId}:open         sorted set of open reservations scored by expiry time
 *   <prefix>{keyId}:res:<member> marker of an unfinished reservation (makes settle idempotent)
 * A reservation's member `<time><random>.<amountNano>.<dayId>.<monthId>` carries everything a sweep
 * needs, and the reservation id handed out is `<member>:<keyId>`, so settle needs no lookup.
 *
 * When a window's hash is missing (first request of the window, or Redis lost its data) it is
 * seeded from the store through `loadSpend`; HSET only if still missing, so racing replicas agree.
 */

const WINDOW_GRACE_MS = 60 * 60_000;
const SWEEP_BATCH = 100;

// Shared Lua helpers. KEYS[1] day hash, KEYS[2] month hash, KEYS[3] open set.
const LUA_HELPERS = `
-- Amounts stay decimal strings when passed back to Redis: Lua would format big numbers as 1e+15.
local function parse(member)
  return string.match(member, '^[^.]*%.(%d+)%.(%d+)%.(%d+)$')
end
local function unhold(key, amount)
  if redis.call('EXISTS', key) == 0 then return end
  if redis.call('HINCRBY', key, 'r', '-' .. amount) < 0 then redis.call('HSET', key, 'r', 0) end
end
local function sweep(now, dayId, monthId)
  local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, ${SWEEP_BATCH})
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
`;

// KEYS: day, month, open, marker. ARGV: amount, dayLimit, monthLimit, now, dayTtl, monthTtl,
// expiresAt, markerTtl, member, dayId, monthId, daySeed, monthSeed (-1: ask the caller to load).
const RESERVE = new RedisScript(`${LUA_HELPERS}
local amount = tonumber(ARGV[1])
local dayLimit = tonumber(ARGV[2])
local monthLimit = tonumber(ARGV[3])
local dayExists = redis.call('EXISTS', KEYS[1]) == 1
local monthExists = redis.call('EXISTS', KEYS[2]) == 1
if (not dayExists and ARGV[12] == '-1') or (not monthExists and ARGV[13] == '-1') then return {-1} end
if not dayExists then redis.call('HSET', KEYS[1], 's', ARGV[12], 'r', 0) end
if not monthExists then redis.call('HSET', KEYS[2], 's', ARGV[13], 'r', 0) end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
sweep(ARGV[4], ARGV[10], ARGV[11])
local ds, dr = num(redis.call('HGET', KEYS[1], 's')), num(redis.call('HGET', KEYS[1], 'r'))
if dayLimit >= 0 and ds + dr + amount > dayLimit then return {0, 'day', ds, dr} end
local ms, mr = num(redis.call('HGET', KEYS[2], 's')), num(redis.call('HGET', KEYS[2], 'r'))
if monthLimit >= 0 and ms + mr + amount > monthLimit then return {0, 'month', ms, mr} end
redis.call('HINCRBY', KEYS[1], 'r', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'r', ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[9])
redis.call('PEXPIRE', KEYS[3], ARGV[8])
redis.call('SET', KEYS[4], '1', 'PX', ARGV[8])
return {1}
`);

// KEYS: day, month, open, marker. ARGV: member, actual nano-USD or -1 to release.
const FINISH = new RedisScript(`${LUA_HELPERS}
if redis.call('DEL', KEYS[4]) == 0 then return 0 end
local a = parse(ARGV[1])
if redis.call('ZREM', KEYS[3], ARGV[1]) == 1 and a then
  unhold(KEYS[1], a)
  unhold(KEYS[2], a)
end
if ARGV[2] ~= '-1' then
  if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 's', ARGV[2]) end
  if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HINCRBY', KEYS[2], 's', ARGV[2]) end
end
return 1
`);

// KEYS: day, month, open. ARGV: now, dayId, monthId.
const SPENT = new RedisScript(`${LUA_HELPERS}
sweep(ARGV[1], ARGV[2], ARGV[3])
return {
  redis.call('EXISTS', KEYS[1]), num(redis.call('HGET', KEYS[1], 's')),
  redis.call('EXISTS', KEYS[2]), num(redis.call('HGET', KEYS[2], 's')), num(redis.call('HGET', KEYS[2], 'r'))
}
`);

// KEYS: day, month. ARGV: nano-USD spent elsewhere (while Redis was unreachable). A missing window
// is left alone: it is seeded from the store, whose rows already hold that spend.
const ADD_SPENT = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HINCRBY', KEYS[1], 's', ARGV[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HINCRBY', KEYS[2], 's', ARGV[1]) end
return 1
`);

export interface RedisBudgetLedgerOptions extends LedgerOptions {
  redis: Redis;
  /** Prepended to every key, e.g. `aigw:budget:`; tests use a unique one per run. */
  keyPrefix?: string;
}

interface ParsedReservation {
  keyId: string;
  member: string;
  dayId: string;
  monthId: string;
}

export class RedisBudgetLedger implements BudgetLedger {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly loadSpend: LoadSpend | undefined;
  private readonly reservationTtlMs: number;
  private readonly markerTtlMs: number;
  /** Settles and releases waiting for this turn's check phase (see finish). */
  private readonly pendingFinishes: Array<() => Promise<void>> = [];
  private readonly runFinishes = (): void => {
    for (const issue of this.pendingFinishes.splice(0)) void issue();
  };

  constructor(opts: RedisBudgetLedgerOptions) {
    this.redis = opts.redis;
    this.prefix = opts.keyPrefix ?? 'aigw:budget:';
    this.loadSpend = opts.loadSpend;
    const { reservationTtlMs, expiredRetentionMs } = ledgerTimings(opts);
    this.reservationTtlMs = reservationTtlMs;
    this.markerTtlMs = reservationTtlMs + expiredRetentionMs;
  }

  async reserve(keyId: string, amountUsd: number, limits: BudgetLimits, nowMs: number): Promise<ReserveResult> {
    const { amountNano, dayLimitNano, monthLimitNano } = reservationNano(amountUsd, limits);
    const { day, month } = utcWindows(nowMs);
    // Time-ordered (UUIDv7), so the reservation ids the store keys its rows by arrive in order and
    // append to budget_reservations' primary key; its random bits come from a pool, not a CSPRNG call each.
    const member = `${timeOrderedId(nowMs)}.${amountNano}.${day.id}.${month.id}`;
    const keys = [...this.windowKeys(keyId, String(day.id), String(month.id)), this.markerKey(keyId, member)];
    const run = (daySeed: number, monthSeed: number): Promise<unknown> =>
      RESERVE.run(this.redis, keys, [
        amountNano,
        dayLimitNano,
        monthLimitNano,
        nowMs,
        day.endMs - nowMs + WINDOW_GRACE_MS,
        month.endMs - nowMs + WINDOW_GRACE_MS,
        nowMs + this.reservationTtlMs,
        this.markerTtlMs,
        member,
        day.id,
        month.id,
        daySeed,
        monthSeed,
      ]);
    let reply = (await run(this.loadSpend ? -1 : 0, this.loadSpend ? -1 : 0)) as (number | string)[];
    if (reply[0] === -1 && this.loadSpend) {
      const [daySpent, monthSpent] = await loadWindowSpendUsd(this.loadSpend, keyId, { day, month });
      reply = (await run(usdToNano(daySpent), usdToNano(monthSpent))) as (number | string)[];
    }
    if (reply[0] === 1) return { ok: true, reservationId: `${member}:${keyId}` };
    const window = reply[1] === 'month' ? 'month' : 'day';
    return budgetRejection(window, window === 'day' ? dayLimitNano : monthLimitNano, Number(reply[2]), Number(reply[3]));
  }

  async settle(reservationId: string, actualUsd: number): Promise<void> {
    await this.finish(reservationId, amountNano(actualUsd));
  }

  async release(reservationId: string): Promise<void> {
    await this.finish(reservationId, -1);
  }

  async spent(keyId: string, nowMs: number): Promise<KeySpend> {
    const { day, month } = utcWindows(nowMs);
    const keys = this.windowKeys(keyId, String(day.id), String(month.id));
    const [dayExists, daySpent, monthExists, monthSpent, monthReserved] = ((await SPENT.run(this.redis, keys, [nowMs, day.id, month.id])) as number[]).map(
      Number,
    ) as [number, number, number, number, number];
    const load = async (exists: number, spentNano: number, sinceMs: number): Promise<number> =>
      exists === 0 && this.loadSpend ? await this.loadSpend(keyId, sinceMs) : nanoToUsd(spentNano);
    const [dayUsd, monthUsd] = await Promise.all([load(dayExists, daySpent, day.startMs), load(monthExists, monthSpent, month.startMs)]);
    return { dayUsd, monthUsd, reservedUsd: nanoToUsd(monthReserved) };
  }

  /** Adds spend settled without Redis (per-replica fallback) to the shared windows it belongs to. */
  async addSpent(keyId: string, amountUsd: number, atMs: number): Promise<void> {
    const addedNano = amountNano(amountUsd);
    const { day, month } = utcWindows(atMs);
    const keys = this.windowKeys(keyId, String(day.id), String(month.id));
    await ADD_SPENT.run(this.redis, keys.slice(0, 2), [addedNano]);
  }

  private async finish(reservationId: string, actualNano: number): Promise<void> {
    const parsed = parseReservationId(reservationId);
    if (!parsed) return;
    const keys = [...this.windowKeys(parsed.keyId, parsed.dayId, parsed.monthId), this.markerKey(parsed.keyId, parsed.member)];
    // Settles come one per answered request, each from its own I/O callback: held until the loop's
    // check phase, those of one turn are issued together and share one socket write (auto-pipelining).
    await new Promise<void>((resolve, reject) => {
      this.pendingFinishes.push(() => FINISH.run(this.redis, keys, [parsed.member, actualNano]).then(() => resolve(), reject));
      if (this.pendingFinishes.length === 1) setImmediate(this.runFinishes);
    });
  }

  private windowKeys(keyId: string, dayId: string, monthId: string): [string, string, string] {
    const base = `${this.prefix}{${keyId}}`;
    return [`${base}:d:${dayId}`, `${base}:m:${monthId}`, `${base}:open`];
  }

  private markerKey(keyId: string, member: string): string {
    return `${this.prefix}{${keyId}}:res:${member}`;
  }
}

function parseReservationId(id: string): ParsedReservation | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const member = id.slice(0, colon);
  const parts = member.split('.');
  if (parts.length !== 4 || !/^\d+$/.test(parts[1] ?? '') || !/^\d+$/.test(parts[2] ?? '') || !/^\d+$/.test(parts[3] ?? '')) {
    return undefined;
  }
  return { keyId: id.slice(colon + 1), member, dayId: parts[2] as string, monthId: parts[3] as string };
}
