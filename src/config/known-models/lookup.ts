import type { KnownModelDatasets, ModelsDevModel, ModelsDevProvider, PriceModule } from './datasets.ts';
import { MODEL_PACKAGE, PRICE_PACKAGE } from './datasets.ts';

/** What a model entry says about where its upstream is: enough to find it in the datasets. */
export interface UpstreamRef {
  providerType: 'openai' | 'anthropic' | 'gemini';
  baseUrl: string;
  /** The model name the upstream knows (`upstream_model`, else the entry's id). */
  modelId: string;
  /** The entry's own id, tried too when it differs (`claude-sonnet-4` for upstream `claude-sonnet-4-0`). */
  entryId?: string;
  /** The provider's `prices_from`: the dataset vendor to look the model up under, whatever the URL. */
  vendor?: string;
}

export interface KnownPricing {
  input: number;
  output: number;
  cached_input?: number;
  cache_write?: number;
}

export interface Sourced<T> {
  value: T;
  /** Dataset, version and the entry matched, e.g. `@pydantic/genai-prices 0.1.8 (anthropic/claude-3-5-haiku-latest)`. */
  source: string;
}

export interface KnownModelFacts {
  pricing?: Sourced<KnownPricing>;
  context_window?: Sourced<number>;
  max_output_tokens?: Sourced<number>;
  capabilities?: Sourced<string[]>;
}

const FIRST_PARTY: Record<UpstreamRef['providerType'], { host: string; id: string }> = {
  openai: { host: 'api.openai.com', id: 'openai' },
  anthropic: { host: 'api.anthropic.com', id: 'anthropic' },
  gemini: { host: 'generativelanguage.googleapis.com', id: 'google' },
};

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The dataset's provider id: the wire format's own vendor, else whichever provider serves that base URL. */
function priceProviderId(ref: UpstreamRef, prices: PriceModule): string | undefined {
  if (ref.vendor) return ref.vendor;
  if (ref.providerType !== 'openai') return FIRST_PARTY[ref.providerType].id;
  if (hostOf(ref.baseUrl) === FIRST_PARTY.openai.host) return 'openai';
  return prices.findProvider({ providerApiUrl: ref.baseUrl })?.id;
}

const ROUND = 1e9;
/** USD per 1M tokens of one usage kind, at the base tier (1,000 tokens never reach a long-context tier). */
function perMTok(
  prices: PriceModule,
  modelId: string,
  providerId: string,
  usage: Record<string, number>,
  side: 'input_price' | 'output_price',
): number | undefined {
  const r = prices.calcPrice(usage, modelId, { providerId });
  if (!r) return undefined;
  return Math.round(r[side] * 1000 * ROUND) / ROUND;
}

function lookupPrice(ref: UpstreamRef, sets: KnownModelDatasets): { pricing: Sourced<KnownPricing>; matchedId: string; contextWindow?: number } | undefined {
  const providerId = priceProviderId(ref, sets.prices);
  if (!providerId) return undefined;
  const base = sets.prices.calcPrice({ input_tokens: 1000, output_tokens: 1000 }, ref.modelId, { providerId });
  if (!base) return undefined;
  const p = sets.prices;
  const pricing: KnownPricing = {
    input: perMTok(p, ref.modelId, providerId, { input_tokens: 1000 }, 'input_price') ?? 0,
    output: perMTok(p, ref.modelId, providerId, { output_tokens: 1000 }, 'output_price') ?? 0,
  };
  const mp = base.model_price;
  if (mp['cache_read_mtok'] !== undefined)
    pricing.cached_input = perMTok(p, ref.modelId, providerId, { input_tokens: 1000, cache_read_tokens: 1000 }, 'input_price');
  if (mp['cache_write_mtok'] !== undefined)
    pricing.cache_write = perMTok(p, ref.modelId, providerId, { input_tokens: 1000, cache_write_tokens: 1000 }, 'input_price');
  const tiered = Object.values(mp).some((v) => typeof v === 'object' && v !== null);
  const source = `${PRICE_PACKAGE} ${sets.priceVersion} (${providerId}/${base.model.id}${tiered ? '; base tier, long prompts cost more' : ''})`;
  return { pricing: { value: pricing, source }, matchedId: base.model.id, contextWindow: base.model.context_window };
}

function modelsDevProvider(ref: UpstreamRef, sets: KnownModelDatasets, priceProvider: string | undefined): ModelsDevProvider | undefined {
  if (ref.vendor) return sets.models[ref.vendor];
  const host = hostOf(ref.baseUrl);
  const firstParty = FIRST_PARTY[ref.providerType];
  if (ref.providerType !== 'openai' || host === firstParty.host) return sets.models[firstParty.id];
  for (const provider of Object.values(sets.models)) if (provider.api && hostOf(provider.api) === host) return provider;
  return priceProvider ? sets.models[priceProvider] : undefined;
}

const DATED = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/** Exact id, else the newest dated snapshot of it (`claude-3-5-haiku` → `claude-3-5-haiku-20241022`), else an alias's target. */
function findModelsDevModel(provider: ModelsDevProvider, ids: readonly string[]): ModelsDevModel | undefined {
  for (const raw of ids) {
    const id = raw.replace(/-(latest|0)$/, '');
    const exact = provider.models[raw] ?? provider.models[id];
    if (exact) return exact;
    const dated = Object.keys(provider.models)
      .filter((k) => k.startsWith(`${id}-`) && DATED.test(k) && k.slice(0, k.search(DATED)) === id)
      .sort();
    if (dated.length > 0) return provider.models[dated[dated.length - 1]!];
  }
  return undefined;
}

/** Capability tags the gateway uses, from the dataset's flags (JSON mode rides on tool support in every wire format aigw speaks). */
function capabilitiesOf(model: ModelsDevModel): string[] {
  const caps = ['streaming'];
  if (model.tool_call) caps.push('tools', 'json');
  if (model.attachment || model.modalities?.input?.includes('image')) caps.push('vision');
  if (model.reasoning) caps.push('reasoning');
  return caps;
}

/** Everything the datasets know about one upstream model; fields they don't know are absent. */
export function lookupKnownModel(ref: UpstreamRef, sets: KnownModelDatasets): KnownModelFacts {
  const facts: KnownModelFacts = {};
  const price = lookupPrice(ref, sets);
  if (price) facts.pricing = price.pricing;
  const provider = modelsDevProvider(ref, sets, priceProviderId(ref, sets.prices));
  const ids = [ref.modelId, ...(price ? [price.matchedId] : []), ...(ref.entryId ? [ref.entryId] : [])];
  const model = provider ? findModelsDevModel(provider, ids) : undefined;
  if (model && provider) {
    const source = `${MODEL_PACKAGE} ${sets.modelsVersion} (models.dev ${provider.id}/${model.id})`;
    if (model.limit?.context) facts.context_window = { value: model.limit.context, source };
    if (model.limit?.output) facts.max_output_tokens = { value: model.limit.output, source };
    facts.capabilities = { value: capabilitiesOf(model), source };
    const cost = model.cost;
    if (!facts.pricing && cost?.input !== undefined && cost.output !== undefined) {
      const pricing: KnownPricing = { input: cost.input, output: cost.output };
      if (cost.cache_read !== undefined) pricing.cached_input = cost.cache_read;
      if (cost.cache_write !== undefined) pricing.cache_write = cost.cache_write;
      facts.pricing = { value: pricing, source };
    }
  }
  if (!facts.context_window && price?.contextWindow) facts.context_window = { value: price.contextWindow, source: price.pricing.source };
  return facts;
}
