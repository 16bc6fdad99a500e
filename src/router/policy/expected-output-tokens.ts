import type { TaskType } from '../../config/schema.ts';

/**
 * Typical answer length per task type: a fixed part plus a share of the prompt (a summary grows with
 * the text it summarizes, a translation is about as long as its source). Chosen from the usual shape of
 * such answers, not measured: a label is a few tokens, a story or a program is long.
 */
export const OUTPUT_TOKENS_BY_TASK: Readonly<Record<TaskType, { baseTokens: number; perPromptToken: number }>> = {
  classification: { baseTokens: 10, perPromptToken: 0 },
  extraction: { baseTokens: 150, perPromptToken: 0.05 },
  summarization: { baseTokens: 150, perPromptToken: 0.1 },
  translation: { baseTokens: 20, perPromptToken: 1.1 },
  qa: { baseTokens: 250, perPromptToken: 0 },
  chat: { baseTokens: 300, perPromptToken: 0 },
  coding: { baseTokens: 600, perPromptToken: 0 },
  math: { baseTokens: 500, perPromptToken: 0 },
  reasoning: { baseTokens: 700, perPromptToken: 0 },
  creative_writing: { baseTokens: 900, perPromptToken: 0 },
};

/** The prompt-proportional part stops growing here: long inputs do not get unbounded summaries. */
export const MAX_PROMPT_PROPORTIONAL_TOKENS = 4_000;

/**
 * Expected output tokens of a request. Harder prompts get longer answers: the table value is scaled by
 * 0.75 at complexity 0 up to 1.25 at complexity 1. Capped by the request's own max tokens.
 */
export function expectedOutputTokens(taskType: TaskType, complexity: number, promptTokens: number, requestMaxOutputTokens?: number): number {
  const shape = OUTPUT_TOKENS_BY_TASK[taskType];
  const proportional = Math.min(shape.perPromptToken * promptTokens, MAX_PROMPT_PROPORTIONAL_TOKENS);
  const clampedComplexity = Math.min(1, Math.max(0, complexity));
  const tokens = Math.max(1, Math.round((shape.baseTokens + proportional) * (0.75 + 0.5 * clampedComplexity)));
  return requestMaxOutputTokens !== undefined && requestMaxOutputTokens > 0 ? Math.min(tokens, requestMaxOutputTokens) : tokens;
}
