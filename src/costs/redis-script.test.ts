import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisScript } from './redis-script.ts';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
afterAll(() => redis.quit());

describe('RedisScript', () => {
  it('loads itself when Redis does not know the script, then runs by SHA', async () => {
    const script = new RedisScript(`return {KEYS[1], ARGV[1], ${Date.now()} + ${process.pid}}`);
    const first = (await script.run(redis, ['k'], ['a'])) as unknown[];
    expect(first.slice(0, 2)).toEqual(['k', 'a']);
    expect(await script.run(redis, ['k'], ['a'])).toEqual(first);
  });

  it('passes script errors through', async () => {
    const script = new RedisScript(`return redis.error_reply('boom ${Date.now()}')`);
    await expect(script.run(redis, [], [])).rejects.toThrow(/boom/);
  });
});
