import { z } from 'zod';
import { TASK_TYPES } from '../../config/schema.ts';

/**
 * The trained predictor on disk: versioned JSON holding learned numbers only (never prompts, so files
 * trained on non-redistributable data can ship). Weight vectors are little-endian Float32 in base64.
 */
export const MODEL_FILE_FORMAT = 'aigw-router-predictor';
export const MODEL_FILE_VERSION = 1;

const Head = z.strictObject({ bias: z.number(), weights: z.string() });
export type HeadJson = z.infer<typeof Head>;

const TaskNumbers = z.record(z.string(), z.number());

export const ModelEntry = z.strictObject({
  /** Ability shared across task types; used for task types without enough rows. */
  thetaBase: z.number(),
  /** Ability per task type, for task types the model has training rows in. */
  theta: TaskNumbers,
  /** Training rows per task type (decides when a learned ability is trusted over a catalog prior). */
  rows: TaskNumbers,
  /** Per-model correction on the prompt features, on top of the shared difficulty. */
  residual: Head.nullable(),
  /**
   * Platt scaling fitted on out-of-fold logits: p = σ(scale·z + offset); `byTask` overrides it for task
   * types with enough rows (a model's level and how far its per-prompt signal can be trusted differ by task).
   */
  platt: z.strictObject({
    scale: z.number(),
    offset: z.number(),
    byTask: z.record(z.string(), z.strictObject({ scale: z.number(), offset: z.number() })).optional(),
  }),
  /** Per-model logistic on the dense and task features only: the level per-prompt deviations shrink to. */
  coarse: Head.optional(),
  /** Per-model logistic on the whole feature vector (hashed n-grams + dense + task), no shared difficulty. */
  hashed: Head.optional(),
  /**
   * Stacking weights learned on out-of-fold logits (overrides the file-level `blend` for this model):
   * z = (1 − keep − hashed)·z_coarse + keep·z_full + hashed·z_hashed; `byTask` per task type.
   */
  blend: z
    .strictObject({
      keep: z.number(),
      hashed: z.number(),
      /**
       * Per task type; `shrink` ρ and `levelLogit` L (the model's base-rate logit on the task) when the
       * task's blend was shrunk by routing quality: z = L + ρ·(z_blend − L). ρ = 0 is the zero router.
       */
      byTask: z
        .record(z.string(), z.strictObject({ keep: z.number(), hashed: z.number(), shrink: z.number().optional(), levelLogit: z.number().optional() }))
        .optional(),
    })
    .optional(),
  /** TF-IDF ridge head over the hashed buckets (weights pre-multiplied by the file's `ridge.idf`). */
  ridge: z.string().optional(),
  /** Second ridge head over the text space (`featureSpec.hashing.text`), pre-multiplied by `ridge.textIdf`. */
  ridgeText: z.string().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

export const PredictorFile = z.strictObject({
  format: z.literal(MODEL_FILE_FORMAT),
  version: z.literal(MODEL_FILE_VERSION),
  featureSpec: z.strictObject({
    version: z.number(),
    hashing: z.strictObject({
      buckets: z.int().positive(),
      weights: z.strictObject({
        focusWords: z.number(),
        focusBigrams: z.number(),
        focusChar4: z.number(),
        contextWords: z.number(),
      }),
      text: z.strictObject({ buckets: z.int().positive(), bigrams: z.number() }).optional(),
    }),
    dense: z.array(z.string()),
    taskTypes: z.array(z.enum(TASK_TYPES)),
  }),
  /** Mean and standard deviation of each dense feature over the training rows. */
  standardization: z.strictObject({ mean: z.array(z.number()), std: z.array(z.number()) }),
  /** b(x): prompt difficulty. */
  difficulty: Head,
  /** log a(x): how sharply the prompt separates strong from weak models. */
  discrimination: Head,
  models: z.record(z.string(), ModelEntry),
  /**
   * How much of the full prediction's deviation from the coarse one to keep, per task type (0 = coarse
   * only, 1 = full): p = σ(z_coarse + κ·(z_full − z_coarse)).
   */
  blend: z.strictObject({ default: z.number(), byTask: z.record(z.string(), z.number()) }).optional(),
  /**
   * Per-model ridge heads (ridge-head.ts): idf per hashed bucket, and the share β of the ridge
   * probability in the final one, per task type: p = (1 − β)·p_irt + β·(p_coarse + w·x̃ + w_text·x̃_text)
   * (the text term from feature spec 4 on, with its own idf `textIdf`).
   */
  ridge: z
    .strictObject({ idf: z.string(), textIdf: z.string().optional(), blend: z.strictObject({ default: z.number(), byTask: z.record(z.string(), z.number()) }) })
    .optional(),
  /**
   * Source classifier (round 6, source-classifier.ts): one-vs-rest ridge over the `input` vector's
   * buckets, weights interleaved bucket-major and pre-multiplied by `idf`; its posteriors over `classes`
   * are the last inputs of every model's coarse head (whose weights are then dense + task + classes long).
   */
  source: z
    .strictObject({ classes: z.array(z.string()).min(2), prior: z.array(z.number()), input: z.enum(['text', 'shared']), idf: z.string(), weights: z.string() })
    .optional(),
  /** (a, b) of a sample of training prompts: maps catalog quality priors to abilities. */
  typicalPrompts: z.strictObject({ a: z.array(z.number()), b: z.array(z.number()) }),
  /** 101 quantiles of b over the training prompts: turns a difficulty into a percentile. */
  difficultyQuantiles: z.array(z.number()).length(101),
  training: z.strictObject({
    seed: z.int(),
    rows: z.int(),
    observations: z.int(),
    options: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])),
  }),
});
export type PredictorFile = z.infer<typeof PredictorFile>;

export function encodeFloats(values: ArrayLike<number>): string {
  const arr = Float32Array.from(values as ArrayLike<number>);
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString('base64');
}

export function decodeFloats(base64: string, expectedLength: number): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  if (buf.byteLength !== expectedLength * 4) {
    throw new Error(`weight vector has ${buf.byteLength / 4} values, expected ${expectedLength}`);
  }
  const out = new Float32Array(expectedLength);
  for (let i = 0; i < expectedLength; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}
