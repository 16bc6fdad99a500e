import { z } from 'zod';
import { TaskType } from './enums.ts';

/** Sampled LLM-as-judge grading, run in the background after a request is answered. */
export const JudgeConfig = z.strictObject({
  /** Catalog model id that grades (every task type without its own in `model_by_task_type`). */
  model: z.string().min(1),
  /** A different grader per task type, e.g. a code-strong model for `coding`. */
  model_by_task_type: z.partialRecord(TaskType, z.string().min(1)).default({}),
  /** Share of answered requests graded, per task type; `default` for the rest. */
  sample_rate: z.partialRecord(z.union([TaskType, z.literal('default')]), z.number().min(0).max(1)).default({ default: 0 }),
  /** Grading instructions per task type; `default` for the rest. */
  rubric: z.partialRecord(z.union([TaskType, z.literal('default')]), z.string().min(1)).default({}),
  /** Requests waiting for a grade at most; past it new ones are skipped (counted), never queued without bound. */
  max_queue: z.int().positive().default(1_000),
  /** Grading calls in flight at once. */
  concurrency: z.int().positive().max(64).default(2),
  /** Prompt and answer are each cut to this many characters in the grading prompt, to bound the judge's cost. */
  max_chars: z.int().positive().default(8_000),
  /**
   * Most the judge's grading calls may cost per UTC day; once reached, no request is graded until the next
   * UTC day. The spend is its own category in the spend analyses (key `aigw:judge`).
   */
  daily_budget_usd: z.number().nonnegative().default(5),
});
export type JudgeConfig = z.infer<typeof JudgeConfig>;

export const QualityConfig = z.strictObject({
  judge: JudgeConfig.optional(),
});
export type QualityConfig = z.infer<typeof QualityConfig>;
