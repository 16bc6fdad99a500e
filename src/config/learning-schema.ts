import { z } from 'zod';
import { Duration } from './alerts-schema.ts';

/** Defaults of `aigw router train --from-store` (retraining with guarded promotion). */
export const RetrainConfig = z.strictObject({
  /** Learning rows from this many days back are used. */
  since_days: z.number().positive().default(30),
  /** Outcome files (the shared JSONL format) trained on together with the store's learning rows. */
  data: z.array(z.string()).default([]),
  /** The newest share of learning rows is held out: both routers are compared on it, the candidate never trains on it. */
  holdout_share: z.number().gt(0).lt(1).default(0.2),
  /** Fewer held-out rows than this: no comparison, nothing promoted. */
  min_holdout_rows: z.int().positive().default(200),
  /** The gateway retrains on this schedule (e.g. `24h`), as `aigw router train --from-store` does; unset (default): never. */
  every: Duration.optional(),
  /** A scheduled retrain still running after this long is stopped (its process killed). */
  timeout: Duration.prefault('1h'),
});
export type RetrainConfig = z.infer<typeof RetrainConfig>;

/** The router learning from the gateway's own outcomes (docs/router-learning.md). */
export const LearningConfig = z.strictObject({
  /** Store learning rows and refit abilities online; false stops both (exploration too). */
  enabled: z.boolean().default(true),
  /** Share of routed requests that explore by Thompson sampling; 0 turns exploration off. */
  explore_share: z.number().min(0).max(0.5).default(0.05),
  /** Refit after this many new outcomes… */
  refit_every_outcomes: z.int().positive().default(50),
  /** …or after this many minutes with at least one new outcome. */
  refit_every_minutes: z.number().positive().default(5),
  /** The newest rows a refit reads at most (bounds its CPU time and memory). */
  max_refit_rows: z.int().positive().default(50_000),
  /** How many outcomes the prior ability (catalog or shipped) is worth. */
  prior_strength: z.number().positive().default(20),
  /** L2 of per-model residual heads over the feature vector; 0 (default) learns abilities only: the heads measured worse (docs/router-learning.md). */
  residual_l2: z.number().nonnegative().default(0),
  /**
   * L2 of per-model online ridge heads over the prompt's n-grams (per-prompt learning; each head is kept
   * only at a scale the newest rows confirm); 0 (default) learns abilities per task type only: the heads did
   * not route better in the benchmark (docs/router-learning.md).
   */
  ridge_l2: z.number().nonnegative().default(0),
  /** Learning rows older than this are deleted. */
  retention_days: z.number().positive().default(90),
  /** How often a replica checks the store for a newer learned state another replica fitted. */
  poll_seconds: z.number().positive().default(10),
  retrain: RetrainConfig.default(RetrainConfig.parse({})),
});
export type LearningConfig = z.infer<typeof LearningConfig>;
