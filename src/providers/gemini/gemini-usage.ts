import type { NormalizedUsage } from '../types.ts';
import { asNumber, asRecord } from '../shared/wire-json.ts';

/**
 * Gemini usageMetadata → NormalizedUsage. promptTokenCount already includes cachedContentTokenCount;
 * thoughtsTokenCount is NOT part of candidatesTokenCount (both are billed as output), so output is
 * their sum. Tool-use prompt tokens (search, code execution) are billed as input.
 */
export function normalizeGeminiUsage(raw: unknown): NormalizedUsage | undefined {
  const u = asRecord(raw);
  if (!u) return undefined;
  const prompt = asNumber(u.promptTokenCount);
  const candidates = asNumber(u.candidatesTokenCount);
  const thoughts = asNumber(u.thoughtsTokenCount) ?? 0;
  if (prompt === undefined && candidates === undefined && thoughts === 0) return undefined;
  const inputTokens = (prompt ?? 0) + (asNumber(u.toolUsePromptTokenCount) ?? 0);
  return {
    inputTokens,
    cachedInputTokens: Math.min(asNumber(u.cachedContentTokenCount) ?? 0, inputTokens),
    cacheWriteTokens: 0,
    outputTokens: (candidates ?? 0) + thoughts,
    reasoningTokens: thoughts,
  };
}
