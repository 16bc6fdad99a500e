import type { Kysely } from 'kysely';
import type { GatewayConfig } from '../config/schema.ts';
import { KyselyStore } from '../store/kysely-store.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { StoreUnavailableError, type ToolContext } from './tool-context.ts';

/** The kysely handle analytics read through; every store the gateway opens is a KyselyStore. */
export function analyticsDbOf(store: Store): Kysely<Database> {
  if (store instanceof KyselyStore) return store.readDb;
  throw new StoreUnavailableError(`the ${store.dialect} store does not expose SQL access for analytics`);
}

/** The store's main connection, for what writes: the rollup refresh before a report. */
export function mainDbOf(store: Store): Kysely<Database> {
  if (store instanceof KyselyStore) return store.db;
  throw new StoreUnavailableError(`the ${store.dialect} store does not expose SQL access for analytics`);
}

/** A tool context over an already open store (the gateway's own, for the HTTP mounts). */
export function contextOfStore(store: () => Store, config: () => GatewayConfig, nowMs: () => number = Date.now): ToolContext {
  return { db: async () => analyticsDbOf(store()), config, nowMs, recommendationStore: async () => store() };
}
