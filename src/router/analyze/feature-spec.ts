import type { HashingSpec } from './hashed-ngrams.ts';

/**
 * The analyzer's feature layout. A trained model file records the spec it was trained with, and the
 * predictor refuses a file whose spec differs: bucket indices would mean different n-grams.
 */
export const FEATURE_SPEC_VERSION = 4;

export const DEFAULT_HASHING: HashingSpec = {
  buckets: 1 << 14,
  weights: { focusWords: 1, focusBigrams: 0.7, focusChar4: 0.7, contextWords: 0.4 },
  // Version 4: focus words + bigrams in 2^16 buckets of their own, read by a second set of ridge heads
  // (docs/router-history.md, text vector).
  text: { buckets: 1 << 16, bigrams: 0.7 },
};
