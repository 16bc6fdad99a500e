/**
 * Abilities θ on the item-response scale: P(correct) = σ(a·(θ − b)) for a prompt with discrimination a
 * and difficulty b. Catalog priors ("this model answers 80% of coding prompts well") become abilities
 * by matching the mean probability over typical training prompts to the prior.
 */

export interface TypicalPrompts {
  a: readonly number[];
  b: readonly number[];
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function meanProbability(theta: number, typical: TypicalPrompts): number {
  let s = 0;
  for (let i = 0; i < typical.a.length; i++) s += sigmoid(typical.a[i]! * (theta - typical.b[i]!));
  return typical.a.length > 0 ? s / typical.a.length : sigmoid(theta);
}

const PRIOR_MIN = 0.01;
const PRIOR_MAX = 0.99;

/** θ such that the mean predicted probability over typical prompts equals `prior` (bisection). */
export function abilityFromPrior(prior: number, typical: TypicalPrompts): number {
  const target = Math.min(PRIOR_MAX, Math.max(PRIOR_MIN, prior));
  let lo = -20;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanProbability(mid, typical) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface AbilityOutcome {
  /** 1 = answered well, 0 = not (fractions allowed, e.g. a 0–1 rating). */
  score: number;
  /** The prompt's difficulty and discrimination from the predictor; typical values when unknown. */
  difficulty?: number;
  discrimination?: number;
}

/**
 * Feedback refinement: the MAP ability given outcomes, with a Gaussian prior centred on the current
 * θ (`priorStrength` = how many outcomes the current θ is worth). Pure; the caller stores the result.
 * Outcomes without a difficulty use b = θ-neutral 0 and a = 1, i.e. a typical prompt.
 */
export function refineAbility(theta: number, outcomes: readonly AbilityOutcome[], priorStrength = 20): number {
  if (outcomes.length === 0) return theta;
  // A unit of prior strength is the Fisher information of one outcome at p = 0.5 (a²/4 with a = 1).
  const priorPrecision = priorStrength * 0.25;
  let t = theta;
  for (let iter = 0; iter < 25; iter++) {
    let grad = -priorPrecision * (t - theta);
    let hess = -priorPrecision;
    for (const o of outcomes) {
      const a = o.discrimination ?? 1;
      const b = o.difficulty ?? 0;
      const p = sigmoid(a * (t - b));
      grad += a * (o.score - p);
      hess -= a * a * p * (1 - p);
    }
    const step = grad / hess;
    t -= step;
    if (Math.abs(step) < 1e-9) break;
  }
  return t;
}
