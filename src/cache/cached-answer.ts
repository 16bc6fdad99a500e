import { z } from 'zod';
import { ToolCall } from '../providers/chat-schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';

const CachedChoice = z.object({
  index: z.int().nonnegative(),
  message: z.object({
    role: z.literal('assistant'),
    content: z.string().nullable(),
    tool_calls: z.array(ToolCall).optional(),
    refusal: z.string().nullable().optional(),
  }),
  finish_reason: z.enum(['stop', 'length', 'tool_calls', 'function_call']),
  /** The upstream's logprobs object, kept verbatim when the request asked for it. */
  logprobs: z.unknown().optional(),
});
export type CachedChoice = z.infer<typeof CachedChoice>;

const Usage = z.object({
  inputTokens: z.int().nonnegative(),
  cachedInputTokens: z.int().nonnegative(),
  cacheWriteTokens: z.int().nonnegative(),
  outputTokens: z.int().nonnegative(),
  reasoningTokens: z.int().nonnegative(),
}) satisfies z.ZodType<NormalizedUsage>;

/**
 * One cached answer: the completion's choices, the usage the gateway billed for it, and what that
 * upstream call cost (a hit logs it as `cache_saved_usd`). Read back from Redis, so it is validated.
 */
export const CachedAnswer = z.object({
  v: z.literal(1),
  provider: z.string(),
  model: z.string(),
  choices: z.array(CachedChoice).min(1),
  usage: Usage,
  usage_estimated: z.boolean(),
  cost_usd: z.number().nonnegative(),
  stored_at_ms: z.number(),
});
export type CachedAnswer = z.infer<typeof CachedAnswer>;

/** Finish reasons of a complete answer worth repeating; `content_filter` and errors never are. */
const STORABLE_FINISH = new Set<string>(['stop', 'length', 'tool_calls', 'function_call']);

export function isStorableFinish(finishReason: string | null | undefined): boolean {
  return finishReason != null && STORABLE_FINISH.has(finishReason);
}

/** Parses stored JSON; anything unreadable (an older format, a foreign value) is a miss, not an error. */
export function parseCachedAnswer(json: string): CachedAnswer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = CachedAnswer.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
