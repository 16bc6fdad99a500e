import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRow } from '../store/types.ts';
import { constantTimeEqualHex, hashApiKey } from './api-keys.ts';

/**
 * Resolves a bearer token to its API key row with a small TTL cache, so authentication is not a
 * database query per request. Consequence: a revoked key keeps working for at most `ttlMs` on
 * replicas that cached it (default 10 s); the replica that revokes calls `invalidate()`. Unknown
 * tokens are cached too (`negativeTtlMs`, in a separate, smaller map so a flood of random tokens
 * cannot evict real keys); creating a key should invalidate its hash.
 *
 * The row's stored hash is compared to the token's hash in constant time, so even a store that
 * matched loosely could not be probed byte by byte. Cache lookups by hash leak nothing useful: an
 * attacker would have to find SHA-256 preimages.
 */

export type FindKeyByHash = (hash: string) => Promise<ApiKeyRow | undefined>;

export interface KeyResolverOptions {
  findByHash: FindKeyByHash;
  ttlMs?: number;
  negativeTtlMs?: number;
  maxEntries?: number;
  maxNegativeEntries?: number;
  nowMs?: () => number;
}

interface CacheEntry {
  row: ApiKeyRow | undefined;
  expiresAtMs: number;
}

/** Longer tokens are refused without hashing: no real key is this long. */
const MAX_TOKEN_CHARS = 512;

export class KeyResolver {
  private readonly findByHash: FindKeyByHash;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  private readonly maxNegativeEntries: number;
  private readonly now: () => number;
  private readonly known = new Map<string, CacheEntry>();
  private readonly unknown = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<ApiKeyRow | undefined>>();

  constructor(opts: KeyResolverOptions) {
    this.findByHash = opts.findByHash;
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 5_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.maxNegativeEntries = opts.maxNegativeEntries ?? 1_000;
    this.now = opts.nowMs ?? Date.now;
  }

  /** The active (not revoked) key for a token, or undefined. */
  async resolve(token: string | undefined): Promise<ApiKeyRow | undefined> {
    if (!token || token.length > MAX_TOKEN_CHARS) return undefined;
    const hash = hashApiKey(token);
    const nowMs = this.now();
    const cached = this.known.get(hash) ?? this.unknown.get(hash);
    const row = cached && cached.expiresAtMs > nowMs ? cached.row : await this.lookup(hash);
    return row && row.revoked_at === null ? row : undefined;
  }

  /** Drops one key's cache entry (by hash), or everything. */
  invalidate(hash?: string): void {
    if (hash === undefined) {
      this.known.clear();
      this.unknown.clear();
      return;
    }
    this.known.delete(hash);
    this.unknown.delete(hash);
  }

  private lookup(hash: string): Promise<ApiKeyRow | undefined> {
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const promise = this.findByHash(hash)
      .then((found) => {
        const row = found && constantTimeEqualHex(found.key_hash, hash) ? found : undefined;
        this.remember(hash, row);
        return row;
      })
      .finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, promise);
    return promise;
  }

  private remember(hash: string, row: ApiKeyRow | undefined): void {
    const [map, max, ttl] = row
      ? [this.known, this.maxEntries, this.ttlMs]
      : [this.unknown, this.maxNegativeEntries, this.negativeTtlMs];
    (row ? this.unknown : this.known).delete(hash);
    map.delete(hash);
    if (map.size >= max) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(hash, { row, expiresAtMs: this.now() + ttl });
  }
}

/** `Authorization: Bearer <token>` → token. */
export function extractBearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Whether a token is the admin key, in constant time; false when no admin key is configured. */
export function isAdminKey(token: string | undefined, adminKey: string | undefined): boolean {
  if (!token || !adminKey) return false;
  // Hashing first gives equal-length inputs, so neither the key's length nor its content leaks.
  const a = createHash('sha256').update(token, 'utf8').digest();
  const b = createHash('sha256').update(adminKey, 'utf8').digest();
  return timingSafeEqual(a, b);
}
