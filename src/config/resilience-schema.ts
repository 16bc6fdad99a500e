import { z } from 'zod';

/**
 * How the gateway keeps serving when PostgreSQL or Redis is unreachable, and how durable its log
 * rows are (docs/operations.md explains each failure).
 */
export const ResilienceConfig = z.strictObject({
  /** API key cache entries are re-read from the store after this long (refreshed in the background from half of it). */
  key_cache_ttl_ms: z.int().positive().default(10_000),
  /** How long past its TTL a cached key (or "keys exist") is still served while the store does not answer. */
  key_cache_max_stale_ms: z
    .int()
    .nonnegative()
    .default(15 * 60_000),
  /** A store lookup on the request path slower than this counts as the store being down. */
  store_timeout_ms: z.int().positive().default(2_000),
  /** A Redis command slower than this counts as Redis being down. */
  redis_timeout_ms: z.int().positive().default(500),
  /**
   * While Redis is down each replica enforces budgets and rate limits alone, on this fraction of each
   * key's remaining budget and of its requests per minute; ≤ 1 / replicas never overspends.
   */
  redis_fallback_share: z.number().gt(0).max(1).default(0.5),
  /**
   * With Redis, each replica serves a busy key's requests from a lease: a slice of the key's budget
   * (and a few rate-limit tokens) reserved in Redis, renewed with every flush of its spend; a dead
   * replica's lease is freed this long after its last renewal. 0: every request asks Redis.
   */
  budget_lease_ttl_ms: z.int().nonnegative().default(10_000),
  /** Where log rows the store refuses are spooled (relative to the working directory), replayed on recovery and at start. */
  spool_dir: z.string().default('./data/spool'),
  /** Most bytes the spool holds; past it rows wait in memory (then back-pressure, `store.max_queue`). */
  spool_max_bytes: z
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /**
   * Commit (or spool to disk) each chat request's row before the answer's last byte. Off: a SIGKILL
   * loses at most the rows of the last `store.flush_interval_ms`.
   */
  durable_writes: z.boolean().default(false),
});
export type ResilienceConfig = z.infer<typeof ResilienceConfig>;

/** Serve HTTPS directly (deployments without a TLS-terminating proxy). PEM files, read at start. */
export const TlsConfig = z.strictObject({
  cert_file: z.string().min(1),
  key_file: z.string().min(1),
});
export type TlsConfig = z.infer<typeof TlsConfig>;
