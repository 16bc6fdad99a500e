import { describe, expect, it } from 'vitest';
import { normalizeGeminiUsage } from './gemini-usage.ts';

describe('normalizeGeminiUsage', () => {
  it('adds thoughts to candidates for output and keeps cached content inside the prompt', () => {
    expect(
      normalizeGeminiUsage({
        promptTokenCount: 12000,
        candidatesTokenCount: 300,
        thoughtsTokenCount: 900,
        cachedContentTokenCount: 8000,
        totalTokenCount: 13200,
      }),
    ).toEqual({ inputTokens: 12000, cachedInputTokens: 8000, cacheWriteTokens: 0, outputTokens: 1200, reasoningTokens: 900 });
  });

  it('counts tool-use prompt tokens as input and tolerates a missing candidates count', () => {
    expect(normalizeGeminiUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 5 })).toEqual({
      inputTokens: 15,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
    });
    expect(normalizeGeminiUsage(undefined)).toBeUndefined();
    expect(normalizeGeminiUsage({ totalTokenCount: 3 })).toBeUndefined();
  });
});
