import { z } from 'zod';
import { TaskType } from './enums.ts';

/** Sampled LLM-as-judge grading, run in the background after a request is answered. */
export const JudgeConfig = z.strictObject({
  /** Catalog model id that grades. */
  model: z.string().min(1),
  /** Share of answered requests graded, per task type; `default` for the rest. */
  sample_rate: z.partialRecord(z.union([TaskType, z.literal('default')]), z.number().min(0).max(1)).default({ default: 0 }),
  /** Grading instructions per task type; `default` for the rest. */
  rubric: z.partialRecord(z.union([TaskType, z.literal('default')]), z.string().min(1)).default({}),
});
export type JudgeConfig = z.infer<typeof JudgeConfig>;

export const QualityConfig = z.strictObject({
  judge: JudgeConfig.optional(),
});
export type QualityConfig = z.infer<typeof QualityConfig>;
