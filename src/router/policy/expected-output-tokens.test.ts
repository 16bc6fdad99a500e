import { describe, expect, it } from 'vitest';
import { expectedOutputTokens, MAX_PROMPT_PROPORTIONAL_TOKENS, OUTPUT_TOKENS_BY_TASK } from './expected-output-tokens.ts';

describe('expectedOutputTokens', () => {
  it('expects a few tokens for a classification and many for creative writing', () => {
    const label = expectedOutputTokens('classification', 0.5, 500);
    const story = expectedOutputTokens('creative_writing', 0.5, 500);
    expect(label).toBe(OUTPUT_TOKENS_BY_TASK.classification.baseTokens);
    expect(story).toBe(OUTPUT_TOKENS_BY_TASK.creative_writing.baseTokens);
    expect(story).toBeGreaterThan(label * 50);
  });

  it('grows summaries and translations with the prompt, up to a bound', () => {
    expect(expectedOutputTokens('summarization', 0.5, 4_000)).toBe(150 + 400);
    expect(expectedOutputTokens('translation', 0.5, 1_000)).toBe(20 + 1_100);
    expect(expectedOutputTokens('translation', 0.5, 100_000)).toBe(20 + MAX_PROMPT_PROPORTIONAL_TOKENS);
  });

  it('scales with complexity from 0.75× to 1.25×', () => {
    expect(expectedOutputTokens('coding', 0, 100)).toBe(450);
    expect(expectedOutputTokens('coding', 1, 100)).toBe(750);
    expect(expectedOutputTokens('coding', 7, 100)).toBe(750);
  });

  it("is capped by the request's max tokens", () => {
    expect(expectedOutputTokens('creative_writing', 0.5, 100, 64)).toBe(64);
    expect(expectedOutputTokens('classification', 0.5, 100, 64)).toBe(10);
  });
});
