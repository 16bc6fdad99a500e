/** Test support: builds an UpstreamTarget through the real config schema so defaults apply. */
import { ModelConfig, ProviderConfig } from '../../config/schema.ts';
import type { ProviderType } from '../../config/schema.ts';
import type { UpstreamTarget } from '../types.ts';

export function makeTestTarget(
  type: ProviderType,
  model: { id?: string; upstream_model?: string; max_output_tokens?: number } = {},
  provider: { base_url?: string } = {},
): UpstreamTarget {
  const baseUrls: Record<ProviderType, string> = {
    openai: 'https://api.openai.com/v1',
    anthropic: 'https://api.anthropic.com',
    gemini: 'https://generativelanguage.googleapis.com',
  };
  return {
    provider: ProviderConfig.parse({ id: `${type}-test`, type, base_url: provider.base_url ?? baseUrls[type] }),
    model: ModelConfig.parse({
      id: model.id ?? 'catalog-model',
      provider: `${type}-test`,
      upstream_model: model.upstream_model,
      pricing: { input: 1, output: 2 },
      context_window: 128_000,
      max_output_tokens: model.max_output_tokens ?? 8_192,
    }),
    apiKey: 'test-key',
  };
}
