import type { NormalizedUsage } from '../types.ts';
import { asNumber, asRecord } from '../shared/wire-json.ts';

/**
 * Anthropic usage → NormalizedUsage. Anthropic's `input_tokens` counts only the uncached tail of the
 * prompt; cache reads and cache writes are reported beside it, so all three add up to the prompt.
 * Thinking tokens are billed inside `output_tokens` and not reported apart, so reasoningTokens is 0.
 */
export function normalizeAnthropicUsage(raw: unknown): NormalizedUsage | undefined {
  const u = asRecord(raw);
  if (!u) return undefined;
  const uncached = asNumber(u.input_tokens);
  const output = asNumber(u.output_tokens);
  if (uncached === undefined && output === undefined) return undefined;
  const cacheRead = asNumber(u.cache_read_input_tokens) ?? 0;
  const cacheWrite = asNumber(u.cache_creation_input_tokens) ?? 0;
  return {
    inputTokens: (uncached ?? 0) + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: output ?? 0,
    reasoningTokens: 0,
  };
}

/**
 * Stream usage arrives twice: message_start carries the input counts, message_delta the cumulative
 * output (and, on newer API versions, final input counts). Later numbers replace earlier ones.
 */
export function mergeAnthropicUsage(previous: Record<string, unknown> | undefined, next: unknown): Record<string, unknown> | undefined {
  const n = asRecord(next);
  if (!n) return previous;
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(n)) {
    if (typeof value === 'number') merged[key] = value;
  }
  return merged;
}
