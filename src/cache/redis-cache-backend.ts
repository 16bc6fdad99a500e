import type { Redis } from 'ioredis';
import type { CacheBackend } from './cache-backend.ts';

/** Shared by every replica: one Redis string per entry, expiring by itself (SET … PX). */
export class RedisCacheBackend implements CacheBackend {
  readonly name = 'redis';

  constructor(private readonly opts: { redis: Redis; keyPrefix: string }) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.opts.redis.get(this.redisKey(key))) ?? undefined;
  }

  async set(key: string, json: string, ttlMs: number): Promise<void> {
    await this.opts.redis.set(this.redisKey(key), json, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  private redisKey(key: string): string {
    return `${this.opts.keyPrefix}cache:${key}`;
  }
}
