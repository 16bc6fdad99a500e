import { resolve } from 'node:path';
import { readConfig } from '../gateway/resolve-config.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { configuredStoreOptions, openStore } from '../store/open-store.ts';

/** The store `aigw serve` would use when started in `cwd` with this config. */
export async function openConfiguredStore(cwd: string, configPath?: string): Promise<KyselyStore> {
  const { config } = readConfig(cwd, configPath);
  return openStore(configuredStoreOptions(cwd, config.store));
}
