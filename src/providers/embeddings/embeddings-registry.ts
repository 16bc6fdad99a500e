import type { ProviderType } from '../../config/schema.ts';
import { geminiEmbeddingsAdapter } from '../gemini/gemini-embeddings.ts';
import { openaiEmbeddingsAdapter } from '../openai/openai-embeddings.ts';
import type { EmbeddingsAdapter } from './embeddings-types.ts';

/** Anthropic has no embeddings API (it points to Voyage AI, which is OpenAI-compatible: type openai). */
const ADAPTERS: Partial<Record<ProviderType, EmbeddingsAdapter>> = {
  openai: openaiEmbeddingsAdapter,
  gemini: geminiEmbeddingsAdapter,
};

export function embeddingsAdapterFor(type: ProviderType): EmbeddingsAdapter | undefined {
  return ADAPTERS[type];
}
