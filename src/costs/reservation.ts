import type { ModelConfig, ProviderConfig } from '../config/schema.ts';
import { maxCostUsd } from './max-cost.ts';

/**
 * How much a budget reserves before an upstream call: the most the upstream can really bill.
 *
 * A client's `max_tokens` bounds the bill only when the provider enforces it. OpenAI, Anthropic and
 * Gemini's own APIs do, and so does the simulated fleet; an arbitrary OpenAI-compatible server may
 * not (an audit found one that always generated past it), so for those the model's configured
 * `max_output_tokens` is the bound. `providers[].enforces_max_tokens` overrides the guess.
 * The prompt is counted with gpt-tokenizer; other tokenizers count up to ~10% more, hence the margin.
 */
const ENFORCING_HOSTS = new Set(['api.openai.com', 'api.anthropic.com', 'generativelanguage.googleapis.com']);
const PROMPT_MARGIN = 1.1;
const PROMPT_MARGIN_TOKENS = 8;

export function enforcesMaxTokens(provider: Pick<ProviderConfig, 'base_url' | 'simulated' | 'enforces_max_tokens'>): boolean {
  if (provider.enforces_max_tokens !== undefined) return provider.enforces_max_tokens;
  if (provider.simulated) return true;
  try {
    return ENFORCING_HOSTS.has(new URL(provider.base_url).hostname);
  } catch {
    return false;
  }
}

export interface ReservationInput {
  promptTokens: number;
  /** The client's max_completion_tokens / max_tokens, if any. */
  requestedMaxTokens: number | undefined;
  /** Choices asked for (`n`). */
  choices: number;
  model: Pick<ModelConfig, 'max_output_tokens' | 'pricing'>;
  provider: Pick<ProviderConfig, 'base_url' | 'simulated' | 'enforces_max_tokens'>;
}

/** Output tokens the upstream may bill per choice. */
export function billableOutputTokens(input: Omit<ReservationInput, 'promptTokens' | 'choices'>): number {
  const cap = input.model.max_output_tokens;
  if (input.requestedMaxTokens === undefined || !enforcesMaxTokens(input.provider)) return cap;
  return Math.min(input.requestedMaxTokens, cap);
}

export function reservationUsd(input: ReservationInput): number {
  const promptTokens = Math.ceil(input.promptTokens * PROMPT_MARGIN) + PROMPT_MARGIN_TOKENS;
  return maxCostUsd(promptTokens, billableOutputTokens(input) * Math.max(1, input.choices), input.model.pricing);
}
