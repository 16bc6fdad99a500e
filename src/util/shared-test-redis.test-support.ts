import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * Connections to the shared test Redis (`REDIS_URL`, else 127.0.0.1:6379) whose keys all start with
 * a prefix unique to this run and `area`; `cleanUp()` (for afterAll) deletes those keys and closes
 * the connections. Never flushes: other test runs use the same Redis.
 */
export function sharedTestRedis(area: string): { prefix: string; connect(): Redis; cleanUp(): Promise<void> } {
  const prefix = `aigw-test:${area}:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const connections: Redis[] = [];
  return {
    prefix,
    connect() {
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      connections.push(redis);
      return redis;
    },
    async cleanUp() {
      const first = connections[0];
      if (first) {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await first.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        if (keys.length > 0) await first.del(...keys);
      }
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}
