import { ModelConfig, ProviderConfig, type GatewayConfig } from '../config/schema.ts';
import { SimFleet } from './fleet-schema.ts';

export { SimFleet } from './fleet-schema.ts';
export { DEFAULT_FLEET, DATA_FLEET } from './default-fleets.ts';

export type SimWire = 'openai' | 'anthropic';

export interface FleetCatalogOptions {
  /** Provider id in the generated config; default `sim`. */
  providerId?: string;
  /** Wire format the gateway uses to reach the simulator; default `openai`. */
  wire?: SimWire;
}

export type FleetCatalog = Pick<GatewayConfig, 'providers' | 'models'>;

/**
 * The gateway config fragment that serves a fleet from a running simulator at `baseUrl`
 * (e.g. `http://127.0.0.1:4100`): one provider marked `simulated`, one model per fleet model with
 * its prices, latency, tier and accuracies as quality priors. The simulator answers both wire formats
 * under `/v1`, so `base_url` is `<baseUrl>/v1` either way.
 */
export function fleetCatalog(fleet: SimFleet, baseUrl: string, opts: FleetCatalogOptions = {}): FleetCatalog {
  const providerId = opts.providerId ?? 'sim';
  const provider = ProviderConfig.parse({
    id: providerId,
    type: opts.wire ?? 'openai',
    base_url: `${baseUrl.replace(/\/+$/, '')}/v1`,
    simulated: true,
  });
  const models = fleet.models.map((m) =>
    ModelConfig.parse({
      id: m.id,
      provider: providerId,
      tier: m.tier,
      pricing: { input: m.pricing.input, output: m.pricing.output },
      context_window: m.context_window,
      max_output_tokens: m.max_output_tokens,
      latency: { ttft_ms: m.ttft_ms, output_tokens_per_s: m.output_tokens_per_s },
      capabilities: m.capabilities,
      quality: m.accuracy,
      supports_n: m.supports_n ?? true,
    }),
  );
  const providers = [provider];
  if (provider.type !== 'openai' && fleet.embedding_models.length > 0)
    providers.push(ProviderConfig.parse({ ...provider, id: `${providerId}-openai`, type: 'openai' }));
  return { providers, models: [...models, ...embeddingCatalog(fleet, provider)] };
}

/**
 * The fleet's embedding models. They speak OpenAI's format (Anthropic has no embeddings API), so a
 * fleet reached over the Anthropic wire gets a second, OpenAI-format provider for them.
 */
function embeddingCatalog(fleet: SimFleet, provider: ProviderConfig): ModelConfig[] {
  const providerId = provider.type === 'openai' ? provider.id : `${provider.id}-openai`;
  return fleet.embedding_models.map((m) =>
    ModelConfig.parse({
      id: m.id,
      provider: providerId,
      kind: 'embedding',
      tier: m.tier,
      pricing: { input: m.pricing.input, output: 0 },
      context_window: m.context_window,
      max_output_tokens: 1,
      capabilities: ['embeddings'],
    }),
  );
}

/** The same fleet with injected errors off: for benchmarks, where failures would skew latency numbers. */
export function withoutErrors(fleet: SimFleet): SimFleet {
  return SimFleet.parse({ ...fleet, models: fleet.models.map((m) => ({ ...m, error_rate: 0 })) });
}
