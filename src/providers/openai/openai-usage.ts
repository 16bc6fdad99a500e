import type { NormalizedUsage } from '../types.ts';
import { asNumber, asRecord } from '../shared/wire-json.ts';

/**
 * OpenAI usage → NormalizedUsage. OpenAI already counts cached tokens inside prompt_tokens and
 * reasoning tokens inside completion_tokens, which is exactly the NormalizedUsage subset rule.
 * Compatible servers vary: DeepSeek reports `prompt_cache_hit_tokens`, OpenRouter may add
 * `cache_write_tokens`, llama.cpp and old vLLM omit details. Missing usage → undefined.
 */
export function normalizeOpenAIUsage(raw: unknown): NormalizedUsage | undefined {
  const u = asRecord(raw);
  if (!u) return undefined;
  const prompt = asNumber(u.prompt_tokens);
  const completion = asNumber(u.completion_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const inputTokens = prompt ?? 0;
  const outputTokens = completion ?? 0;
  const promptDetails = asRecord(u.prompt_tokens_details);
  const completionDetails = asRecord(u.completion_tokens_details);
  const cached = asNumber(promptDetails?.cached_tokens) ?? asNumber(u.prompt_cache_hit_tokens) ?? 0;
  const cacheWrite = asNumber(promptDetails?.cache_write_tokens) ?? 0;
  const reasoning = asNumber(completionDetails?.reasoning_tokens) ?? 0;
  return {
    inputTokens,
    cachedInputTokens: Math.min(cached, inputTokens),
    cacheWriteTokens: Math.min(cacheWrite, Math.max(0, inputTokens - cached)),
    outputTokens,
    reasoningTokens: Math.min(reasoning, outputTokens),
  };
}
