import type { GatewayConfig } from './schema.ts';

/**
 * Facts of a wire format that a model entry cannot override: Anthropic's Messages API has no `n`,
 * so its models never claim `supports_n` (the router then skips them for n > 1, and a named
 * request with n > 1 gets a clear 400 instead of one silent choice). Gemini has candidateCount and
 * OpenAI-compatible servers have n, so they keep what the entry says.
 */
export function applyProviderLimits(config: GatewayConfig): GatewayConfig {
  const anthropic = new Set(config.providers.filter((p) => p.type === 'anthropic').map((p) => p.id));
  if (anthropic.size === 0) return config;
  return { ...config, models: config.models.map((m) => (anthropic.has(m.provider) && m.supports_n ? { ...m, supports_n: false } : m)) };
}
