import type { GatewayConfig } from '../config/schema.ts';
import { needsSimulatedFleet, readConfig, withSimulatedFleet } from '../gateway/resolve-config.ts';
import { StoreUnavailableError, messageOf, type ToolContext } from '../mcp/tool-context.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { configuredStoreOptions, openStore } from '../store/open-store.ts';

/** The config `aigw serve` would run with in `cwd`, with the simulated fleet when it would start one. */
export function servedConfig(cwd: string, configPath: string | undefined, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const { config } = readConfig(cwd, configPath);
  // Only the catalog matters here (models, prices, rules); the fleet's URL is never called.
  return needsSimulatedFleet(config, env) ? withSimulatedFleet(config, 'http://127.0.0.1:4100', env) : config;
}

export interface LazyStoreContext extends ToolContext {
  /** The store itself (opened as `db()` opens it), for writes such as storing recommendations. */
  store(): Promise<KyselyStore>;
  close(): Promise<void>;
}

/**
 * The store `aigw serve` would use in `cwd` with this config, opened on the first tool call rather
 * than at start: a server whose database is down still starts, lists its tools and answers each
 * call with a clear "store unavailable" error, and retries the connection on the next call.
 */
export function lazyConfiguredStoreContext(cwd: string, configPath: string | undefined, nowMs: () => number = Date.now): LazyStoreContext {
  let opening: Promise<KyselyStore> | undefined;
  let config: GatewayConfig | undefined;
  const open = async (): Promise<KyselyStore> => {
    const { config } = readConfig(cwd, configPath);
    try {
      return await openStore(configuredStoreOptions(cwd, config.store));
    } catch (err) {
      throw new StoreUnavailableError(`cannot open the store: ${messageOf(err)}`);
    }
  };
  const store = async (): Promise<KyselyStore> => {
    opening ??= open();
    try {
      return await opening;
    } catch (err) {
      opening = undefined;
      throw err;
    }
  };
  return {
    nowMs,
    config: () => (config ??= servedConfig(cwd, configPath)),
    db: async () => (await store()).readDb,
    store,
    recommendationStore: store,
    async close() {
      const pending = opening;
      opening = undefined;
      if (pending) await (await pending.catch(() => undefined))?.close();
    },
  };
}
