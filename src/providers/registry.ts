import type { ProviderType } from '../config/schema.ts';
import { anthropicAdapter } from './anthropic/index.ts';
import { geminiAdapter } from './gemini/index.ts';
import { openaiAdapter } from './openai/index.ts';
import type { ProviderAdapter } from './types.ts';

const ADAPTERS: Record<ProviderType, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
};

/** The wire-format adapter for a provider type; `openai` covers every OpenAI-compatible server. */
export function adapterFor(type: ProviderType): ProviderAdapter {
  return ADAPTERS[type];
}
