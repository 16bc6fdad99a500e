import type { IncomingHttpHeaders } from 'node:http';
import type { CacheConfig } from '../config/cache-schema.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';

/** `use`: look up, and store on a miss. `bypass`: neither. `off`: the cache is disabled (no header sent). */
export type CacheUse = { use: 'use' } | { use: 'bypass'; reason: 'client' | 'sampled' } | { use: 'off' };

/** The request header that steers the cache; the answer carries `x-aigw-cache: hit|miss|bypass`. */
export const CACHE_HEADER = 'x-aigw-cache';

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : (v ?? '')).toLowerCase();
}

/**
 * A request asks for a fresh draw unless it pins the answer down: `temperature: 0` (greedy) or a
 * `seed` (the caller asked for a repeatable answer). Left out, temperature defaults to 1: sampled.
 */
export function isSampled(body: ChatRequest): boolean {
  return body.temperature !== 0 && (body.seed === undefined || body.seed === null);
}

/**
 * The one rule: a client's `x-aigw-cache: bypass` or `cache-control: no-cache|no-store` skips the
 * cache; deterministic requests use it; sampled ones only with `cache.sampled: always` or the
 * request's `x-aigw-cache: force`.
 */
export function decideCacheUse(config: CacheConfig, headers: IncomingHttpHeaders, body: ChatRequest): CacheUse {
  if (!config.enabled) return { use: 'off' };
  const asked = headerValue(headers, CACHE_HEADER).trim();
  const cacheControl = headerValue(headers, 'cache-control');
  if (asked === 'bypass' || /\bno-(cache|store)\b/.test(cacheControl)) return { use: 'bypass', reason: 'client' };
  if (isSampled(body) && config.sampled !== 'always' && asked !== 'force') return { use: 'bypass', reason: 'sampled' };
  return { use: 'use' };
}
