import { describe, expect, it } from 'vitest';
import { normalizeOpenAIUsage } from './openai-usage.ts';

describe('normalizeOpenAIUsage', () => {
  it('keeps cached and reasoning tokens as subsets of prompt and completion tokens', () => {
    expect(
      normalizeOpenAIUsage({
        prompt_tokens: 2006,
        completion_tokens: 300,
        total_tokens: 2306,
        prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 256, audio_tokens: 0 },
      }),
    ).toEqual({ inputTokens: 2006, cachedInputTokens: 1920, cacheWriteTokens: 0, outputTokens: 300, reasoningTokens: 256 });
  });

  it('reads DeepSeek cache hits and OpenRouter cache writes', () => {
    expect(normalizeOpenAIUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_cache_hit_tokens: 64 })).toMatchObject({
      cachedInputTokens: 64,
    });
    expect(normalizeOpenAIUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cache_write_tokens: 90 } })).toMatchObject({
      cacheWriteTokens: 90,
      cachedInputTokens: 0,
    });
  });

  it('returns undefined when a server sends no usable usage', () => {
    expect(normalizeOpenAIUsage(undefined)).toBeUndefined();
    expect(normalizeOpenAIUsage(null)).toBeUndefined();
    expect(normalizeOpenAIUsage({ total_tokens: 3 })).toBeUndefined();
  });

  it('tolerates missing detail objects and a missing completion count', () => {
    expect(normalizeOpenAIUsage({ prompt_tokens: 7 })).toEqual({
      inputTokens: 7,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
  });
});
