import { Redis } from 'ioredis';
import pg from 'pg';

/** The shared PostgreSQL and Redis of the test machine; tests use their own schema and key prefix there. */
export const SHARED_DATABASE_URL = process.env.AIGW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SHARED_REDIS_URL = process.env.AIGW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Removes a test's schema from the shared PostgreSQL. */
export async function dropSharedSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: SHARED_DATABASE_URL });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}

/** Removes a test's keys (by prefix) from the shared Redis. */
export async function deleteSharedRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
}
