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

/**
 * Online ridge head: a per-prompt deviation ω·x̃ added to the model's probability (x̃ the TF-IDF view of the
 * prompt's hashed n-grams, as the shipped ridge heads read it). Weights are stored pre-multiplied by the idf
 * and by the scale the time split chose, only the non-zero ones (base64 little-endian u32 buckets, f32 values).
 */
export const LearnedRidge = z.strictObject({
  /** Scale the held-out (newest) rows chose for the head, 0 < scale; a head at scale 0 is not stored. */
  scale: z.number().positive(),
  /** Held-out log loss gain per row at that scale, and its standard error: why the head is kept. */
  heldOutGain: z.number(),
  heldOutGainSe: z.number(),
  rows: z.int().nonnegative(),
  idx: z.string(),
  val: z.string(),
});
export type LearnedRidge = z.infer<typeof LearnedRidge>;

export const LearnedModel = z.strictObject({
  tasks: z.record(z.string(), LearnedTask),
  /** Residual logit w·x + bias over the predictor's feature vector; only non-zero weights are kept. */
  residual: z.strictObject({ bias: z.number(), idx: z.array(z.int().nonnegative()), val: z.array(z.number()) }).nullable(),
  ridge: LearnedRidge.nullable().optional(),
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
  /**
   * Inverse document frequencies of the ridge heads' buckets, from the rows of the fit: ln((rows + 1)/(df + 1)) + 1,
   * stored as the buckets with df > 0 and their df (base64 u32 / f32); absent without ridge heads.
   */
  ridgeIdf: z.strictObject({ buckets: z.int().positive(), rows: z.int().nonnegative(), idx: z.string(), df: z.string() }).nullable().optional(),
});
export type LearnedState = z.infer<typeof LearnedState>;
