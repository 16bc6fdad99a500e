import { Redis } from 'ioredis';
import { keyChangeChannel } from '../auth/key-change-bus.ts';
import { readConfig } from '../gateway/resolve-config.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { configuredStoreOptions, openStore } from '../store/open-store.ts';

/** The store `aigw serve` would use when started in `cwd` with this config. */
export async function openConfiguredStore(cwd: string, configPath?: string): Promise<KyselyStore> {
  const { config } = readConfig(cwd, configPath);
  return openStore(configuredStoreOptions(cwd, config.store));
}

/**
 * Tells running gateways (through Redis pub/sub, when the config names Redis) that keys changed, so
 * a revocation takes effect at once; false when there is no Redis or it does not answer.
 */
export async function announceKeyChange(cwd: string, configPath?: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const { config } = readConfig(cwd, configPath);
  const url = env.REDIS_URL ?? config.redis_url;
  if (!url) return false;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.publish(keyChangeChannel(env.AIGW_REDIS_PREFIX ?? 'aigw:'), '*');
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
