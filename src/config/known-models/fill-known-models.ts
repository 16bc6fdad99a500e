import { resolve } from 'node:path';
import { knownModelDatasets, updatedDatasetsDir } from './datasets.ts';
import type { KnownModelFacts, UpstreamRef } from './lookup.ts';
import { lookupKnownModel } from './lookup.ts';
import { shippedQualityPriors } from './quality-priors.ts';

/** What a model entry's `sources` says of a value nobody knows: priced at zero, so never routed to by `auto`. */
export const UNKNOWN_SOURCE = 'unknown';
/** Limits assumed when neither the entry nor a dataset gives one (conservative: most chat models allow more). */
export const ASSUMED_CONTEXT_WINDOW = 8_192;
export const ASSUMED_MAX_OUTPUT_TOKENS = 4_096;

const FILLED_FIELDS = ['pricing', 'context_window', 'max_output_tokens', 'capabilities'] as const;
type FilledField = (typeof FILLED_FIELDS)[number];

type RawObject = Record<string, unknown>;

function isObject(v: unknown): v is RawObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function upstreamRef(model: RawObject, providers: readonly unknown[]): UpstreamRef | undefined {
  const provider = providers.find((p): p is RawObject => isObject(p) && p['id'] === model['provider']);
  const type = provider?.['type'];
  const baseUrl = provider?.['base_url'];
  if ((type !== 'openai' && type !== 'anthropic' && type !== 'gemini') || typeof baseUrl !== 'string') return undefined;
  const modelId = typeof model['upstream_model'] === 'string' ? model['upstream_model'] : model['id'];
  if (typeof modelId !== 'string') return undefined;
  const vendor = typeof provider?.['prices_from'] === 'string' ? { vendor: provider['prices_from'] } : {};
  return { providerType: type, baseUrl, modelId, ...vendor, ...(typeof model['id'] === 'string' && model['id'] !== modelId ? { entryId: model['id'] } : {}) };
}

function safeLookup(ref: UpstreamRef | undefined, datasetsDir: string): KnownModelFacts {
  if (!ref) return {};
  try {
    return lookupKnownModel(ref, knownModelDatasets(datasetsDir));
  } catch {
    // A broken dataset install must not stop the gateway: every value is then unknown, and said so.
    return {};
  }
}

/** Shipped per-task quality priors for the entry's upstream name or id (none for models no public table covers). */
function safePriors(model: RawObject): ReturnType<typeof shippedQualityPriors> {
  const names = [model['upstream_model'], model['id']].filter((n): n is string => typeof n === 'string');
  try {
    return shippedQualityPriors(names);
  } catch {
    return undefined;
  }
}

const ASSUMED: Record<Exclude<FilledField, 'capabilities'>, unknown> = {
  pricing: { input: 0, output: 0 },
  context_window: ASSUMED_CONTEXT_WINDOW,
  max_output_tokens: ASSUMED_MAX_OUTPUT_TOKENS,
};

/** One model entry with its omitted fields filled and `sources` saying where each value came from. */
function fillModel(model: RawObject, providers: readonly unknown[], datasetsDir: string): RawObject {
  const missing = FILLED_FIELDS.filter((f) => model[f] === undefined);
  const priorSources = isObject(model['sources']) ? model['sources'] : {};
  const priors = model['quality'] === undefined ? safePriors(model) : undefined;
  if (missing.length === 0 && !priors) return model;
  const facts = missing.length > 0 ? safeLookup(upstreamRef(model, providers), datasetsDir) : {};
  const out: RawObject = { ...model };
  const sources: RawObject = { ...priorSources };
  if (priors) {
    out['quality'] = priors.priors;
    sources['quality'] = priors.source;
  }
  for (const field of missing) {
    const known = facts[field];
    if (known) {
      out[field] = known.value;
      sources[field] = known.source;
    } else if (field === 'capabilities') {
      sources[field] = `${UNKNOWN_SOURCE}: none assumed`;
    } else {
      out[field] = ASSUMED[field];
      sources[field] = field === 'pricing' ? UNKNOWN_SOURCE : `${UNKNOWN_SOURCE}: assumed ${String(ASSUMED[field])}`;
    }
  }
  out['sources'] = sources;
  return out;
}

/**
 * Fills `pricing`, `context_window`, `max_output_tokens` and `capabilities` of model entries that omit
 * them from the maintained datasets, before the config is validated. Values written in the config
 * always win; a value no dataset knows is marked unknown (a zero price is never silent: see
 * `unknownPriceModels`).
 */
export function fillKnownModels(raw: unknown, cwd: string = process.cwd()): unknown {
  if (!isObject(raw) || !Array.isArray(raw['models'])) return raw;
  const providers = Array.isArray(raw['providers']) ? raw['providers'] : [];
  const store = isObject(raw['store']) ? raw['store'] : {};
  const storeDir = typeof store['dir'] === 'string' ? store['dir'] : './data';
  const datasetsDir = updatedDatasetsDir(resolve(cwd, storeDir));
  const models = raw['models'].map((m: unknown) => (isObject(m) ? fillModel(m, providers, datasetsDir) : m));
  return { ...raw, models };
}

/** Ids of models whose price no one knows: the gateway warns at start-up and `auto` never picks them. */
export function unknownPriceModels(models: readonly { id: string; sources?: Record<string, string> }[]): string[] {
  return models.filter((m) => m.sources?.['pricing'] === UNKNOWN_SOURCE).map((m) => m.id);
}

/**
 * Which price source each model's cost comes from, in one sentence for reports: "2 models priced in
 * aigw.yaml; 3 from @pydantic/genai-prices 0.1.8; no known price: llama-local (logged at $0)".
 */
export function describePriceSources(models: readonly { id: string; sources?: Record<string, string> }[]): string {
  const bySource = new Map<string, string[]>();
  for (const m of models) {
    const raw = m.sources?.['pricing'];
    const source = raw === undefined ? 'aigw.yaml' : raw === UNKNOWN_SOURCE ? UNKNOWN_SOURCE : raw.replace(/ \(.*\)$/, '');
    bySource.set(source, [...(bySource.get(source) ?? []), m.id]);
  }
  const parts: string[] = [];
  for (const [source, ids] of bySource) {
    if (source === UNKNOWN_SOURCE) continue;
    const n = `${ids.length} model${ids.length === 1 ? '' : 's'}`;
    parts.push(source === 'aigw.yaml' ? `${n} priced in aigw.yaml` : `${n} from ${source}`);
  }
  const unknown = bySource.get(UNKNOWN_SOURCE);
  if (unknown) parts.push(`no known price: ${unknown.join(', ')} (logged at $0)`);
  return parts.join('; ') || 'no models configured';
}
