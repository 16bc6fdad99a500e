import { z } from 'zod';
import { TaskType, Tier } from './enums.ts';

/**
 * When the optimizer may pair a cheaper model with an inference-time technique for a task type,
 * e.g. math → self_consistency with k = 5 on the economy tier.
 */
export const TechniquePlan = z.strictObject({
  /** A technique name or combination (`re2&self_consistency`); checked against the registry when the config loads. */
  technique: z.string().min(1),
  /** Numeric knobs of the technique (k, n, rounds, …). */
  options: z.record(z.string(), z.number()).default({}),
  /** Tiers whose models the technique may be applied to. */
  tiers: z.array(Tier).min(1).default(['economy']),
  /** Offer the pairing only when the required quality is above the cheap model's plain prediction. */
  only_when_below_target: z.boolean().default(true),
});
export type TechniquePlan = z.infer<typeof TechniquePlan>;

export const MaxTokensSizing = z.strictObject({
  /** Percentile of observed completion lengths for the task type that max_tokens must cover. */
  percentile: z.number().min(0.5).max(1).default(0.95),
  /** Multiplier on that percentile, so a slightly longer answer is not cut. */
  margin: z.number().min(1).default(1.25),
  /** Completed requests of the task type needed before recommending a max_tokens. */
  min_samples: z.int().positive().default(20),
});

export const OptimizerConfig = z.strictObject({
  /** Off: technique selectors are refused and the router never proposes model + technique. */
  enabled: z.boolean().default(true),
  /** API key ids or names for which the optimizer is off. */
  disabled_keys: z.array(z.string()).default([]),
  /** Hard cap on upstream requests one optimized request may make, whatever the technique asks. */
  max_upstream_requests: z.int().positive().default(16),
  task_types: z.partialRecord(TaskType, TechniquePlan).default({}),
  max_tokens: MaxTokensSizing.default(MaxTokensSizing.parse({})),
});
export type OptimizerConfig = z.infer<typeof OptimizerConfig>;
