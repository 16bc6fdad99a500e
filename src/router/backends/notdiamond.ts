import { z } from 'zod';
import type { Goal, GatewayConfig, ModelConfig, ProviderConfig } from '../../config/schema.ts';
import type { BackendAnswer } from './merge-backend-answer.ts';
import { joinUrl, postJson } from './post-json.ts';
import { textMessages } from './prompt-text.ts';
import { externalRoutingBackend, type BackendQuestion, type RoutingBackend } from './routing-backend.ts';

export type NotDiamondBackendConfig = Extract<GatewayConfig['routing']['backend'], { type: 'notdiamond' }>;

/** One entry of Not Diamond's `llm_providers`: prices in USD per 1M tokens, latency (time to first token) in seconds. */
export interface NotDiamondProvider {
  provider: string;
  model: string;
  is_custom: boolean;
  context_length: number;
  input_price: number;
  output_price: number;
  latency: number;
}

export interface NotDiamondRequest {
  messages: { role: string; content: string }[];
  llm_providers: NotDiamondProvider[];
  tradeoff?: 'cost' | 'latency';
}

const NotDiamondResponse = z.looseObject({
  providers: z.array(z.looseObject({ provider: z.string(), model: z.string() })).min(1),
  session_id: z.string().optional(),
});

/** First-party API hosts and the provider name Not Diamond knows them by. */
const NOT_DIAMOND_PROVIDER_BY_HOST: Record<string, string> = {
  'api.openai.com': 'openai',
  'api.anthropic.com': 'anthropic',
  'generativelanguage.googleapis.com': 'google',
  'api.mistral.ai': 'mistral',
  'api.together.xyz': 'togetherai',
  'api.perplexity.ai': 'perplexity',
  'api.cohere.com': 'cohere',
};
const NOT_DIAMOND_PROVIDERS = new Set(Object.values(NOT_DIAMOND_PROVIDER_BY_HOST));

/**
 * Not Diamond's name for the provider serving a model, or undefined when the model must be sent as
 * custom: local, simulated and third-party hosts serve models Not Diamond has no scores for.
 */
function notDiamondProviderName(model: ModelConfig, provider: ProviderConfig | undefined): string | undefined {
  if (!provider) return NOT_DIAMOND_PROVIDERS.has(model.provider) ? model.provider : undefined;
  if (provider.simulated) return undefined;
  return NOT_DIAMOND_PROVIDER_BY_HOST[new URL(provider.base_url).hostname];
}

/**
 * The catalog entry as Not Diamond expects it. Prices and latency are always sent so its cost and
 * latency tradeoffs use our numbers; custom models need a provider/model pair with at most one slash,
 * hence the slash in an upstream name (e.g. `meta-llama/Llama-3-8b`) becomes a colon.
 */
export function toNotDiamondProvider(model: ModelConfig, provider: ProviderConfig | undefined): NotDiamondProvider {
  const upstream = model.upstream_model ?? model.id;
  const known = notDiamondProviderName(model, provider);
  return {
    provider: known ?? model.provider.replaceAll('/', ':'),
    model: known ? upstream : upstream.replaceAll('/', ':'),
    is_custom: known === undefined,
    context_length: model.context_window,
    input_price: model.pricing.input,
    output_price: model.pricing.output,
    latency: model.latency.ttft_ms / 1000,
  };
}

/** Not Diamond optimizes quality unless told otherwise; `balanced` has no counterpart, so it stays on quality. */
function tradeoffFor(goal: Goal): NotDiamondRequest['tradeoff'] {
  if (goal === 'cost') return 'cost';
  if (goal === 'speed') return 'latency';
  return undefined;
}

/** The model-select request for the built-in's eligible candidates, and how to map each answer back to a catalog id. */
export function buildNotDiamondRequest(
  config: GatewayConfig,
  question: Pick<BackendQuestion, 'input' | 'decision' | 'eligible'>,
): { body: NotDiamondRequest; catalogIdByPair: Map<string, string> } {
  const modelsById = new Map(config.models.map((m) => [m.id, m]));
  const providersById = new Map(config.providers.map((p) => [p.id, p]));
  const catalogIdByPair = new Map<string, string>();
  const llmProviders: NotDiamondProvider[] = [];
  for (const candidate of question.eligible) {
    const model = modelsById.get(candidate.model);
    if (!model) continue;
    const entry = toNotDiamondProvider(model, providersById.get(model.provider));
    const pair = `${entry.provider}/${entry.model}`;
    // Two catalog ids for one upstream model (e.g. with different settings): the better-ranked one answers for both.
    if (catalogIdByPair.has(pair)) continue;
    catalogIdByPair.set(pair, model.id);
    llmProviders.push(entry);
  }
  const tradeoff = tradeoffFor(question.decision.constraints.goal);
  const body: NotDiamondRequest = { messages: textMessages(question.input.messages), llm_providers: llmProviders };
  if (tradeoff) body.tradeoff = tradeoff;
  return { body, catalogIdByPair };
}

/**
 * The catalog id for Not Diamond's pick: by the exact pair sent, else by model name over the whole
 * catalog, so a pick outside the eligible set is reported as such rather than as unknown.
 */
function catalogIdFor(pick: { provider: string; model: string }, catalogIdByPair: Map<string, string>, config: GatewayConfig): string | undefined {
  const exact = catalogIdByPair.get(`${pick.provider}/${pick.model}`);
  if (exact) return exact;
  const byName = config.models.filter((m) => m.id === pick.model || m.upstream_model === pick.model);
  return byName.length === 1 ? byName[0]?.id : undefined;
}

/** Re-picks among the built-in's eligible candidates with Not Diamond's `POST /v2/modelRouter/modelSelect`. */
export function createNotDiamondBackend(config: GatewayConfig, backend: NotDiamondBackendConfig): RoutingBackend {
  const url = joinUrl(backend.base_url, '/v2/modelRouter/modelSelect');
  async function ask(question: BackendQuestion): Promise<BackendAnswer> {
    const headers: Record<string, string> = {};
    if (backend.api_key_env) {
      const key = process.env[backend.api_key_env];
      if (!key) return { ok: false, reason: `not used: environment variable ${backend.api_key_env} is not set` };
      headers.authorization = `Bearer ${key}`;
    }
    const { body, catalogIdByPair } = buildNotDiamondRequest(config, question);
    const parsed = NotDiamondResponse.safeParse(await postJson(url, body, headers, question.signal));
    if (!parsed.success) return { ok: false, reason: 'answered without a provider' };
    const pick = parsed.data.providers[0];
    if (!pick) return { ok: false, reason: 'answered without a provider' };
    const catalogId = catalogIdFor(pick, catalogIdByPair, config);
    if (!catalogId) return { ok: false, reason: `answered with unknown model ${pick.provider}/${pick.model}` };
    const session = parsed.data.session_id ? `session ${parsed.data.session_id}` : 'no session id';
    return { ok: true, model: catalogId, detail: `${pick.provider}/${pick.model}, ${session}` };
  }
  return externalRoutingBackend('notdiamond', backend.timeout_ms, ask);
}
