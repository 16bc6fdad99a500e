import { z } from 'zod';

/** Exact-match response cache. Off by default: a cache changes what a caller sees for sampled outputs. */
export const CacheConfig = z.strictObject({
  enabled: z.boolean().default(false),
  ttl_s: z.int().positive().default(3600),
  /** Entries kept in the in-process cache (ignored with Redis, which uses TTLs only). */
  max_entries: z.int().positive().default(10_000),
  /** Bytes of JSON kept in the in-process cache across all entries (ignored with Redis). */
  max_total_bytes: z
    .int()
    .positive()
    .default(64 * 1024 * 1024),
  /** Largest answer stored, in bytes of its JSON. */
  max_entry_bytes: z
    .int()
    .positive()
    .default(1024 * 1024),
  /**
   * Sampled requests (no `temperature: 0` and no `seed`) ask for a fresh draw each time, so by default
   * they are cached only when the request opts in with `x-aigw-cache: force` (`opt_in`); `always`
   * caches them like deterministic ones (replayed traffic, evaluation runs).
   */
  sampled: z.enum(['opt_in', 'always']).default('opt_in'),
});
export type CacheConfig = z.infer<typeof CacheConfig>;
