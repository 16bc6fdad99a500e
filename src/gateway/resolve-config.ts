import type { GatewayConfig } from '../config/schema.ts';
import { defaultConfigPath, loadConfigFile, parseConfig } from '../config/load-config.ts';
import { checkTechniquePlan } from '../optimizer/run-technique.ts';
import { fleetCatalog, DEFAULT_FLEET } from '../sim/fleet.ts';

export interface ResolvedConfig {
  config: GatewayConfig;
  /** The file it came from, if any (SIGHUP re-reads it). */
  path: string | undefined;
}

export function readConfig(cwd: string, explicitPath?: string): ResolvedConfig {
  const path = explicitPath ?? defaultConfigPath(cwd);
  return { config: path ? loadConfigFile(path, { checkTechniquePlan }) : parseConfig({}, 'built-in defaults'), path };
}

/**
 * True when the config names no model at all. A configured model whose provider key is missing is
 * not replaced by the simulator: it stays listed as unavailable and requests for it get 503 naming
 * the variable (silently answering from fake models would hide the mistake).
 */
export function needsSimulatedFleet(config: GatewayConfig, _env?: NodeJS.ProcessEnv): boolean {
  return config.models.length === 0;
}

/**
 * Adds the simulated fleet (served at `simBaseUrl`) to a config and drops models whose provider has
 * no API key (they could only fail); the result is validated again.
 */
export function withSimulatedFleet(config: GatewayConfig, simBaseUrl: string, env: NodeJS.ProcessEnv): GatewayConfig {
  const sim = fleetCatalog(DEFAULT_FLEET, simBaseUrl);
  const simIds = new Set(sim.models.map((m) => m.id));
  const unusable = new Set(config.providers.filter((p) => p.api_key_env && !env[p.api_key_env]).map((p) => p.id));
  const usableModels = config.models.filter((m) => !unusable.has(m.provider));
  const usableIds = new Set(usableModels.map((m) => m.id));
  return parseConfig(
    {
      ...config,
      providers: [...config.providers.filter((p) => !sim.providers.some((s) => s.id === p.id)), ...sim.providers],
      models: [...usableModels.filter((m) => !simIds.has(m.id)).map((m) => ({ ...m, fallbacks: m.fallbacks.filter((f) => usableIds.has(f)) })), ...sim.models],
    },
    'config + simulated fleet',
    { checkTechniquePlan },
  );
}
