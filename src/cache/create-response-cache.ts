import type { Redis } from 'ioredis';
import type { CacheConfig } from '../config/cache-schema.ts';
import { MemoryCacheBackend } from './memory-cache-backend.ts';
import { RedisCacheBackend } from './redis-cache-backend.ts';
import { ResponseCache } from './response-cache.ts';

/** Redis when the gateway has one (replicas share answers, like budgets), else an in-process LRU. */
export function createResponseCache(config: CacheConfig, redis: Redis | undefined, redisPrefix: string): ResponseCache {
  const backend = redis
    ? new RedisCacheBackend({ redis, keyPrefix: redisPrefix })
    : new MemoryCacheBackend({ maxEntries: config.max_entries, maxTotalBytes: config.max_total_bytes });
  return new ResponseCache(backend);
}
