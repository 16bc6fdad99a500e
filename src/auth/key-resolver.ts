import { hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyRow } from '../store/types.ts';
import { constantTimeEqualHex, hashApiKey } from './api-keys.ts';

/**
 * Resolves a bearer token to its API key row with a small TTL cache, so authentication is not a
 * database query per request. A revoked key keeps working for at most `ttlMs` on replicas that
 * cached it (default 10 s) unless they hear of the change sooner (`invalidate()`, called on the
 * replica that revokes and, through Redis pub/sub, on the others). Unknown tokens are cached too
 * (`negativeTtlMs`, in a separate, smaller map so a flood of random tokens cannot evict real keys).
 *
 * The store being down must not take authentication down with it: an entry past half its TTL is
 * refreshed in the background while the cached answer is served, and an expired entry whose
 * refresh fails (or takes longer than `lookupTimeoutMs`) is served stale for up to `maxStaleMs`.
 * Only a token the cache has never seen (or has held too long) cannot be answered: that throws
 * `KeyStoreUnavailableError`, which the server turns into 503 with retry-after.
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
  /** How long past its TTL an entry may be served while the store does not answer. */
  maxStaleMs?: number;
  /** A lookup slower than this counts as a store failure. */
  lookupTimeoutMs?: number;
  maxEntries?: number;
  maxNegativeEntries?: number;
  nowMs?: () => number;
  /** Told of every store lookup's outcome (health tracking). */
  onStoreResult?: (err: unknown) => void;
}

interface CacheEntry {
  row: ApiKeyRow | undefined;
  storedAtMs: number;
  expiresAtMs: number;
}

/** The store could not be asked and the cache holds no usable answer for this token. */
export class KeyStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the key store is unreachable and this key is not cached', { cause });
    this.name = 'KeyStoreUnavailableError';
  }
}

/** Longer tokens are refused without hashing: no real key is this long. */
const MAX_TOKEN_CHARS = 512;

export class KeyResolver {
  private readonly findByHash: FindKeyByHash;
  private readonly ttlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxStaleMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly maxEntries: number;
  private readonly maxNegativeEntries: number;
  private readonly now: () => number;
  private readonly onStoreResult: ((err: unknown) => void) | undefined;
  private readonly known = new Map<string, CacheEntry>();
  private readonly unknown = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<ApiKeyRow | undefined>>();
  /**
   * Token → its SHA-256 hex, for tokens of active keys only: a keyed request would otherwise hash its
   * bearer token every time, and a token that named no key (a typo, a spray) is neither kept in the
   * heap nor allowed to push a real key's entry out.
   */
  private readonly hashes = new Map<string, string>();

  constructor(opts: KeyResolverOptions) {
    this.findByHash = opts.findByHash;
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.negativeTtlMs = opts.negativeTtlMs ?? 5_000;
    this.maxStaleMs = opts.maxStaleMs ?? 15 * 60_000;
    this.lookupTimeoutMs = opts.lookupTimeoutMs ?? 2_000;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.maxNegativeEntries = opts.maxNegativeEntries ?? 1_000;
    this.now = opts.nowMs ?? Date.now;
    this.onStoreResult = opts.onStoreResult;
  }

  /** The active (not revoked) key for a token, or undefined; throws KeyStoreUnavailableError. */
  async resolve(token: string | undefined): Promise<ApiKeyRow | undefined> {
    if (!token || token.length > MAX_TOKEN_CHARS) return undefined;
    const hash = this.hashOf(token);
    const row = await this.rowFor(hash);
    if (!row || row.revoked_at !== null) return undefined;
    this.rememberHash(token, hash);
    return row;
  }

  /**
   * `resolve()`'s answer without a promise when it is an active key the cache holds fresh (the same
   * entry, TTL and background refresh `resolve()` would use); undefined when `resolve()` is needed
   * (unknown, revoked, expired or never seen), which then answers as before.
   */
  activeCached(token: string | undefined): ApiKeyRow | undefined {
    if (!token || token.length > MAX_TOKEN_CHARS) return undefined;
    const row = this.fresh(this.hashOf(token), this.now())?.row;
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

  private hashOf(token: string): string {
    return this.hashes.get(token) ?? hashApiKey(token);
  }

  private rememberHash(token: string, hash: string): void {
    if (this.hashes.has(token)) return;
    if (this.hashes.size >= this.maxEntries) {
      const oldest = this.hashes.keys().next();
      if (!oldest.done) this.hashes.delete(oldest.value);
    }
    this.hashes.set(token, hash);
  }

  /** The cache entry while it is within its TTL; past half its life it is refreshed in the background so a hot key never waits on the store. */
  private fresh(hash: string, nowMs: number): CacheEntry | undefined {
    const cached = this.known.get(hash) ?? this.unknown.get(hash);
    if (!cached || cached.expiresAtMs <= nowMs) return undefined;
    if (nowMs - cached.storedAtMs > (cached.expiresAtMs - cached.storedAtMs) / 2) this.lookup(hash).catch(() => undefined);
    return cached;
  }

  private async rowFor(hash: string): Promise<ApiKeyRow | undefined> {
    const nowMs = this.now();
    const fresh = this.fresh(hash, nowMs);
    if (fresh) return fresh.row;
    const cached = this.known.get(hash) ?? this.unknown.get(hash);
    try {
      return await this.lookup(hash);
    } catch (err) {
      if (cached && nowMs - cached.expiresAtMs <= this.maxStaleMs) return cached.row;
      throw new KeyStoreUnavailableError(err);
    }
  }

  private lookup(hash: string): Promise<ApiKeyRow | undefined> {
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const promise = withTimeout(this.findByHash(hash), this.lookupTimeoutMs)
      .then(
        (found) => {
          this.onStoreResult?.(undefined);
          const row = found && constantTimeEqualHex(found.key_hash, hash) ? found : undefined;
          this.remember(hash, row);
          return row;
        },
        (err: unknown) => {
          this.onStoreResult?.(err);
          throw err;
        },
      )
      .finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, promise);
    return promise;
  }

  private remember(hash: string, row: ApiKeyRow | undefined): void {
    const [map, max, ttl] = row ? [this.known, this.maxEntries, this.ttlMs] : [this.unknown, this.maxNegativeEntries, this.negativeTtlMs];
    (row ? this.unknown : this.known).delete(hash);
    map.delete(hash);
    if (map.size >= max) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    const nowMs = this.now();
    map.set(hash, { row, storedAtMs: nowMs, expiresAtMs: nowMs + ttl });
  }
}

/** Rejects when `promise` has not settled within `ms` (the promise itself is left to finish). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** `Authorization: Bearer <token>` → token. */
export function extractBearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The configured admin key's digest, computed once rather than on every request that carries a token. */
let adminDigest: { key: string; digest: Buffer } | undefined;

/** Whether a token is the admin key, in constant time; false when no admin key is configured. */
export function isAdminKey(token: string | undefined, adminKey: string | undefined): boolean {
  if (!token || !adminKey) return false;
  // Hashing first gives equal-length inputs, so neither the key's length nor its content leaks.
  if (adminDigest?.key !== adminKey) adminDigest = { key: adminKey, digest: oneShotHash('sha256', adminKey, 'buffer') };
  return timingSafeEqual(oneShotHash('sha256', token, 'buffer'), adminDigest.digest);
}
