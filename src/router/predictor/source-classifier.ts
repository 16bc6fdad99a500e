import type { SparseVector } from './feature-vector.ts';
import { fitRidgeHead, idfNorm, inverseDocumentFrequency, type RidgeOptions } from './ridge-head.ts';
import { assignFolds } from './rng.ts';

/**
 * "Which training source does this prompt look like?" — one-vs-rest ridge regressions (linear
 * probability models) of the source indicator on the TF-IDF text vector, one per source group the
 * training rows name (their `dataset` field: e.g. mmlu, arc-challenge, winogrande, mbpp).
 *
 *   s_k(x) = π_k + w_k · x̃,   posterior_k(x) = max(0, s_k) / Σ_j max(0, s_j)   (π when every s_k ≤ 0)
 *
 * Used only in training: the text ridge heads' target is the outcome minus the model's mean outcome on
 * the prompt's source, weighted by these posteriors (fit-ridge.ts), so the heads learn how a prompt
 * differs from its source (MMLU vs ARC inside qa), not from the pooled task type. Ridge (not a softmax)
 * because it is exact, deterministic and reuses the ridge solver; a prompt whose n-grams were never seen
 * scores w·x̃ ≈ 0 and so gets the training shares π.
 */
export interface SourceClassifier {
  classes: string[];
  /** π_k: each class's share of the labelled training rows. */
  prior: Float64Array;
  idf: Float32Array;
  buckets: number;
  /** Interleaved bucket-major ([bucket · classes + k]) and pre-multiplied by the idf: one pass per prompt. */
  weights: Float32Array;
}

export interface SourceClassifierOptions {
  /** Fit it (training rows without a `dataset`, or of one source only, give none: the text heads then use the coarse level). */
  enabled: boolean;
  l2: number;
  iterations: number;
  /** Inner folds for the training rows' own posteriors (each row's from a classifier that never saw it). */
  folds: number;
}

// On the shared 2^14 buckets at L2 0.3: held-out mean posterior of the true source 0.90 (ARC), 0.96 (MMLU);
// the focus-only text vector separated ARC less sharply (0.82).
export const DEFAULT_SOURCE_CLASSIFIER: SourceClassifierOptions = { enabled: true, l2: 0.3, iterations: 25, folds: 3 };

/** Label index per row (−1: no source, not used for fitting); classes sorted by name. */
export function sourceLabels(sources: ReadonlyArray<string | undefined>): { classes: string[]; labels: Int32Array } {
  const classes = [...new Set(sources.filter((s): s is string => s !== undefined && s !== ''))].sort();
  const index = new Map(classes.map((c, k) => [c, k]));
  return { classes, labels: Int32Array.from(sources, (s) => (s === undefined ? -1 : (index.get(s) ?? -1))) };
}

/** Fits on the rows with a label ≥ 0; null when fewer than two classes are present. */
export function fitSourceClassifier(
  vectors: readonly SparseVector[],
  labels: ArrayLike<number>,
  classes: readonly string[],
  buckets: number,
  opts: Pick<RidgeOptions, 'l2' | 'iterations'>,
): SourceClassifier | null {
  const xs: SparseVector[] = [];
  const ys: number[] = [];
  for (let r = 0; r < vectors.length; r++) {
    if (labels[r]! < 0) continue;
    xs.push(vectors[r]!);
    ys.push(labels[r]!);
  }
  const k = classes.length;
  const counts = new Float64Array(k);
  for (const y of ys) counts[y]! += 1;
  if (counts.filter((c) => c > 0).length < 2) return null;
  const prior = counts.map((c) => c / ys.length);
  const idf = inverseDocumentFrequency(xs, buckets);
  const weights = new Float32Array(buckets * k);
  for (let c = 0; c < k; c++) {
    // Centred target: the prior is the intercept, so an unseen prompt falls back to it.
    const head = fitRidgeHead(
      xs,
      Float64Array.from(ys, (y) => (y === c ? 1 : 0) - prior[c]!),
      idf,
      buckets,
      { l2: opts.l2, iterations: opts.iterations },
    );
    for (let j = 0; j < buckets; j++) weights[j * k + c] = head.weights[j]!;
  }
  return { classes: [...classes], prior, idf, buckets, weights };
}

/** Soft posteriors over the classes, written into `out` (length = classes). */
export function sourcePosteriors(clf: SourceClassifier, x: SparseVector, out: Float64Array): Float64Array {
  const k = clf.classes.length;
  for (let c = 0; c < k; c++) out[c] = clf.prior[c]!;
  const scale = idfNorm(x, clf.idf, clf.buckets);
  if (scale > 0) {
    for (let i = 0; i < x.idx.length; i++) {
      const j = x.idx[i]!;
      if (j >= clf.buckets) continue;
      const v = x.val[i]! * scale;
      const row = j * k;
      for (let c = 0; c < k; c++) out[c]! += clf.weights[row + c]! * v;
    }
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    if (out[c]! < 0) out[c] = 0;
    sum += out[c]!;
  }
  if (sum <= 0) for (let c = 0; c < k; c++) out[c] = clf.prior[c]!;
  else for (let c = 0; c < k; c++) out[c]! /= sum;
  return out;
}

/**
 * Posteriors for the training rows themselves, each from a classifier fitted on the other inner folds:
 * in-sample posteriors would be near-certain on every row and the coarse head would over-trust them.
 * Rows of a fold whose training part has < 2 classes get the priors of all rows.
 */
export function outOfFoldPosteriors(
  vectors: readonly SparseVector[],
  labels: ArrayLike<number>,
  classes: readonly string[],
  buckets: number,
  opts: Pick<SourceClassifierOptions, 'l2' | 'iterations' | 'folds'>,
  seed: number,
): Float64Array[] {
  const n = vectors.length;
  const out = Array.from({ length: n }, () => new Float64Array(classes.length));
  const folds = assignFolds(n, Math.max(2, opts.folds), seed);
  const masked = new Int32Array(n);
  for (let f = 0; f < Math.max(2, opts.folds); f++) {
    for (let r = 0; r < n; r++) masked[r] = folds[r] === f ? -1 : labels[r]!;
    const clf = fitSourceClassifier(vectors, masked, classes, buckets, opts);
    for (let r = 0; r < n; r++) {
      if (folds[r] !== f) continue;
      if (clf) sourcePosteriors(clf, vectors[r]!, out[r]!);
      else out[r]!.fill(1 / Math.max(1, classes.length));
    }
  }
  return out;
}

/**
 * Per model, its mean outcome on each source's rows, smoothed towards its mean over all rows with
 * `smoothing` pseudo-rows (a model with no rows of a source gets its overall mean there).
 */
export function sourceMeans(
  scores: ReadonlyArray<Readonly<Record<string, number>>>,
  labels: ArrayLike<number>,
  classes: number,
  models: readonly string[],
  smoothing = 20,
): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  for (const model of models) {
    const sum = new Float64Array(classes);
    const count = new Float64Array(classes);
    let all = 0;
    let n = 0;
    scores.forEach((s, r) => {
      const y = s[model];
      if (y === undefined) return;
      all += y;
      n++;
      const k = labels[r]!;
      if (k < 0) return;
      sum[k]! += y;
      count[k]! += 1;
    });
    const overall = n > 0 ? all / n : 0.5;
    out.set(
      model,
      sum.map((t, k) => (t + smoothing * overall) / (count[k]! + smoothing)),
    );
  }
  return out;
}

/** Σ_k posterior_k · mean_k: a prompt's expected level under its source posteriors. */
export function sourceLevel(means: ArrayLike<number>, posterior: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < posterior.length; k++) s += posterior[k]! * means[k]!;
  return s;
}
