import { z } from 'zod';
import { QualityPriors, Tier } from '../config/schema.ts';

/** Length profile of generated text, in tokens (normal distribution, clipped at 1). */
const TokenProfile = z.strictObject({
  mean: z.number().positive(),
  sd: z.number().nonnegative(),
});
export type TokenProfile = z.infer<typeof TokenProfile>;

/** How injected failures split between server errors (500) and rate limits (429, with retry-after). */
export const ErrorMix = z.strictObject({
  server_error: z.number().nonnegative(),
  rate_limited: z.number().nonnegative(),
  /** retry-after sent with simulated 429s, before timeScale. */
  retry_after_s: z.number().nonnegative().default(1),
});
export type ErrorMix = z.infer<typeof ErrorMix>;

/** One simulated model: its speed, reliability, answer length and accuracy per task type. */
export const SimModel = z.strictObject({
  id: z.string().min(1),
  ttft_ms: z.number().nonnegative(),
  output_tokens_per_s: z.number().positive(),
  /** Share of requests answered with an injected error (0–1), split per `error_mix`. */
  error_rate: z.number().min(0).max(1).default(0),
  error_mix: ErrorMix.default({ server_error: 0.5, rate_limited: 0.5, retry_after_s: 1 }),
  answer_tokens: TokenProfile,
  /** Hidden reasoning tokens billed as output (reasoning models); they also delay the first token. */
  reasoning_tokens: TokenProfile.optional(),
  /** Probability of a good answer per task type; `default` covers the types not listed. */
  accuracy: QualityPriors,
  /** Whether `n` > 1 is honoured; when false such requests get a 400, as from providers without `n`. */
  supports_n: z.boolean().optional(),
  /** Catalog facts exported by fleetCatalog; the simulator itself does not bill. */
  pricing: z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() }),
  tier: Tier,
  context_window: z.int().positive().default(128_000),
  max_output_tokens: z.int().positive().default(4_096),
  capabilities: z.array(z.string()).default(['streaming', 'tools', 'json']),
});
export type SimModel = z.infer<typeof SimModel>;
export type SimModelInput = z.input<typeof SimModel>;

/** One simulated embedding model: deterministic vectors (src/sim/embedding-vector.ts) of its dimensions. */
export const SimEmbeddingModel = z.strictObject({
  id: z.string().min(1),
  dimensions: z.int().positive(),
  /** USD per 1M input tokens, exported to the catalog; the simulator itself does not bill. */
  pricing: z.strictObject({ input: z.number().nonnegative() }),
  tier: Tier.default('economy'),
  /** Most input tokens one input may have. */
  context_window: z.int().positive().default(8_191),
});
export type SimEmbeddingModel = z.infer<typeof SimEmbeddingModel>;

export const SimFleet = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    models: z.array(SimModel).min(1),
    embedding_models: z.array(SimEmbeddingModel).default([]),
  })
  .refine((f) => new Set([...f.models, ...f.embedding_models].map((m) => m.id)).size === f.models.length + f.embedding_models.length, {
    message: 'simulated model ids must be unique',
  });
export type SimFleet = z.infer<typeof SimFleet>;

/** Accuracy of a model for a task type: the type's own value, else `default`, else 0.5. */
export function accuracyFor(model: SimModel, taskType: string): number {
  const acc = model.accuracy as Record<string, number | undefined>;
  return acc[taskType] ?? acc.default ?? 0.5;
}
