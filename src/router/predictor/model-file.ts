import { endianness } from 'node:os';
import { z } from 'zod';
import { TASK_TYPES } from '../../config/schema.ts';

/**
 * The trained predictor on disk: versioned JSON holding learned numbers only (never prompts, so files
 * trained on non-redistributable data can ship). Weight vectors are little-endian Float32 in base64.
 */
export const MODEL_FILE_FORMAT = 'aigw-router-predictor';
export const MODEL_FILE_VERSION = 1;

/**
 * A weight vector: base64 in the JSON file; already a Float32Array when read from the binary copy
 * (model-cache.ts). JSON never yields a Float32Array, so the JSON accepted is the same.
 */
const Floats = z.union([z.string(), z.instanceof(Float32Array)]);
type Floats = z.infer<typeof Floats>;

const Head = z.strictObject({ bias: z.number(), weights: Floats });

const TaskNumbers = z.record(z.string(), z.number());
/** A number per task type, and one for the other task types. */
const Shares = z.strictObject({ default: z.number(), byTask: TaskNumbers });

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
  /** TF-IDF ridge head over the hashed buckets (weights pre-multiplied by the file's `ridge.idf`). */
  ridge: Floats.optional(),
  /** Second ridge head over the text space (`featureSpec.hashing.text`), pre-multiplied by `ridge.textIdf`. */
  ridgeText: Floats.optional(),
  /**
   * The correctness sources (datasets) the model has rows in. Models linked through shared sources form
   * a family whose levels are comparable; a sparse task type takes the shift of its own family (sparse-tasks.ts).
   */
  sources: z.array(z.string()).optional(),
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
   * κ, the share of the IRT prediction's deviation from the coarse head that is kept, per task type
   * (0 = coarse head only, 1 = full IRT logit): p_irt = σ(g + κ·(f − g)).
   */
  keep: Shares.optional(),
  /**
   * Per-model ridge heads (ridge-head.ts): idf per hashed bucket (and `textIdf` for the text vector), and
   * β, the share of the ridge probability in the final one, per task type:
   * p = (1 − β)·p_irt + β·clip(σ(g) + ω·x̃ + ω'·x̃_t).
   */
  ridge: z.strictObject({ idf: Floats, textIdf: Floats.optional(), share: Shares }).optional(),
  /**
   * Trust in the per-prompt part (novelty.ts): the training prompts' 101 quantiles of novelty u(x) on
   * the `space` whose idf the ridge heads store (each row's own n-grams left out of the idf), and τ:
   * a prompt more novel than a share 1 − t of them (trust t < τ) keeps only t/τ of its per-model
   * deviation from the model's task level.
   */
  novelty: z.strictObject({ space: z.enum(['text', 'shared']), quantiles: z.array(z.number()).length(101), trustFull: z.number().min(0).max(1) }).optional(),
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
  const arr = Float32Array.from(values);
  return Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString('base64');
}

export function decodeFloats(value: Floats, expectedLength: number): Float32Array {
  if (typeof value !== 'string') {
    if (value.length !== expectedLength) throw new Error(`weight vector has ${value.length} values, expected ${expectedLength}`);
    return value;
  }
  const buf = Buffer.from(value, 'base64');
  if (buf.byteLength !== expectedLength * 4) {
    throw new Error(`weight vector has ${buf.byteLength / 4} values, expected ${expectedLength}`);
  }
  const out = new Float32Array(expectedLength);
  // One copy of the bytes on little-endian hosts (every platform Node ships for); per value otherwise.
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(buf);
  else for (let i = 0; i < expectedLength; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

const LITTLE_ENDIAN = endianness() === 'LE';
