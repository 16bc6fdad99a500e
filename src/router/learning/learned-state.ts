import { z } from 'zod';

/**
 * What the online learner adds on top of the live predictor, per model: a shift of its ability per task
 * type (with the posterior precision exploration samples from) and a sparse residual head over the
 * predictor's feature vector. Small, JSON, identical on every replica that loads it from the store.
 */
export const LearnedTask = z.strictObject({
  /** Δθ added to the predictor's ability for this task type (0 = the prior/shipped value). */
  shift: z.number(),
  /** Posterior precision of the ability (prior strength plus the outcomes' Fisher information). */
  precision: z.number().positive(),
  outcomes: z.int().nonnegative(),
  /** Mean score of those outcomes. */
  meanScore: z.number(),
});
export type LearnedTask = z.infer<typeof LearnedTask>;

export const LearnedModel = z.strictObject({
  tasks: z.record(z.string(), LearnedTask),
  /** Residual logit w·x + bias over the predictor's feature vector; only non-zero weights are kept. */
  residual: z.strictObject({ bias: z.number(), idx: z.array(z.int().nonnegative()), val: z.array(z.number()) }).nullable(),
});
export type LearnedModel = z.infer<typeof LearnedModel>;

export const LearnedState = z.strictObject({
  /** Snapshot number, increasing; names the state in router versions (`+ls<id>`). */
  id: z.int().nonnegative(),
  /** Version of the predictor the shifts and residuals were fitted on top of. */
  baseVersion: z.string(),
  createdAtMs: z.number(),
  outcomes: z.int().nonnegative(),
  /** Newest scored-at time among the outcomes used. */
  lastScoredAtMs: z.number(),
  models: z.record(z.string(), LearnedModel),
});
export type LearnedState = z.infer<typeof LearnedState>;
