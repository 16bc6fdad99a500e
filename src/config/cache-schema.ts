import { z } from 'zod';

/** Exact-match response cache. Off by default: a cache changes what a caller sees for sampled outputs. */
export const CacheConfig = z.strictObject({
  enabled: z.boolean().default(false),
  ttl_s: z.int().positive().default(3600),
  /** Entries kept in the in-process cache (ignored with Redis, which uses TTLs only). */
  max_entries: z.int().positive().default(10_000),
  /** Largest answer stored, in bytes of its JSON. */
  max_entry_bytes: z.int().positive().default(1024 * 1024),
});
export type CacheConfig = z.infer<typeof CacheConfig>;
