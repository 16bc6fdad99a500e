import { describe, expect, it } from 'vitest';
import { mergeAnthropicUsage, normalizeAnthropicUsage } from './anthropic-usage.ts';

describe('normalizeAnthropicUsage', () => {
  it('adds cache reads and writes to the uncached input so inputTokens is the whole prompt', () => {
    expect(
      normalizeAnthropicUsage({
        input_tokens: 21,
        cache_creation_input_tokens: 188086,
        cache_read_input_tokens: 1000,
        output_tokens: 393,
      }),
    ).toEqual({ inputTokens: 189107, cachedInputTokens: 1000, cacheWriteTokens: 188086, outputTokens: 393, reasoningTokens: 0 });
  });

  it('treats absent cache fields as zero and absent usage as unknown', () => {
    expect(normalizeAnthropicUsage({ input_tokens: 10, output_tokens: 1 })).toMatchObject({ inputTokens: 10, cachedInputTokens: 0 });
    expect(normalizeAnthropicUsage(undefined)).toBeUndefined();
    expect(normalizeAnthropicUsage({})).toBeUndefined();
  });
});

describe('mergeAnthropicUsage', () => {
  it('lets message_delta numbers replace message_start numbers and ignores nulls', () => {
    const start = mergeAnthropicUsage(undefined, { input_tokens: 472, cache_read_input_tokens: 0, output_tokens: 2 });
    const end = mergeAnthropicUsage(start, { output_tokens: 89, cache_read_input_tokens: null });
    expect(end).toEqual({ input_tokens: 472, cache_read_input_tokens: 0, output_tokens: 89 });
    expect(mergeAnthropicUsage(end, undefined)).toBe(end);
  });
});
