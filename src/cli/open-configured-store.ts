import { resolve } from 'node:path';
import { readConfig } from '../gateway/resolve-config.ts';
import { openStore } from '../store/open-store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';

/** The store `aigw serve` would use when started in `cwd` with this config. */
export async function openConfiguredStore(cwd: string, configPath?: string): Promise<KyselyStore> {
  const { config } = readConfig(cwd, configPath);
  return openStore({ databaseUrl: process.env.DATABASE_URL ?? config.store.database_url, dir: resolve(cwd, config.store.dir), schema: config.store.pg_schema });
}
