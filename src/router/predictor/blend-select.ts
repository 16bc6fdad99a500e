/**
 * Stacking weights for one model (and task type): the final logit is a convex combination of three
 * predictors' logits,
 *   z = (1 − κ − μ)·z_coarse + κ·z_full + μ·z_hashed,
 * with (κ, μ) on a grid over the simplex chosen by mean log loss on out-of-fold logits (rows whose
 * logits come from fits that never saw them). κ = μ = 0 is the coarse head alone — the zero-signal
 * router — so with honest out-of-fold logits the choice can only move away from it when held-out
 * evidence says the per-prompt signal pays.
 */
export interface BlendWeights {
  /** Weight of the full (IRT + residual, Platt-calibrated) logit. */
  keep: number;
  /** Weight of the per-model hashed logistic's logit. */
  hashed: number;
  /** Share ρ of the blend kept around the model's task level L: z = L + ρ·(z_blend − L) (decision-shrink.ts). */
  shrink?: number;
  levelLogit?: number;
}

export interface BlendSamples {
  coarse: ArrayLike<number>;
  full: ArrayLike<number>;
  hashed: ArrayLike<number>;
  labels: ArrayLike<number>;
}

export function blendLogit(w: BlendWeights, coarse: number, full: number, hashed: number): number {
  const z = coarse + w.keep * (full - coarse) + w.hashed * (hashed - coarse);
  if (w.shrink === undefined || w.levelLogit === undefined) return z;
  return w.levelLogit + w.shrink * (z - w.levelLogit);
}

/** Mean log loss of a blend on samples (probabilities clipped to [1e-6, 1 − 1e-6]). */
export function blendLogLoss(w: BlendWeights, s: BlendSamples): number {
  let loss = 0;
  const n = s.labels.length;
  for (let i = 0; i < n; i++) {
    const z = blendLogit(w, s.coarse[i]!, s.full[i]!, s.hashed[i]!);
    const p = Math.min(1 - 1e-6, Math.max(1e-6, 1 / (1 + Math.exp(-z))));
    loss -= s.labels[i]! ? Math.log(p) : Math.log(1 - p);
  }
  return loss / Math.max(1, n);
}

/** Grid search over the simplex in steps of `step`; ties keep the simpler (more shrunk) blend. */
export function selectBlend(s: BlendSamples, step = 0.05, allowHashed = true): BlendWeights {
  let best: BlendWeights = { keep: 0, hashed: 0 };
  let bestLoss = blendLogLoss(best, s);
  const steps = Math.round(1 / step);
  for (let a = 0; a <= steps; a++) {
    for (let b = 0; a + b <= steps; b++) {
      if (!allowHashed && b > 0) break;
      const w = { keep: round(a * step), hashed: round(b * step) };
      const loss = blendLogLoss(w, s);
      if (loss < bestLoss - 1e-9) {
        best = w;
        bestLoss = loss;
      }
    }
  }
  return best;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
