import type { RoutingConstraints } from '../types.ts';
import type { CandidateEstimate } from './estimate-candidate.ts';
import type { CombinedRuleAction } from './match-rules.ts';
import { formatUsd } from './format.ts';
import { sortShort } from './short-sort.ts';
import { compareByGoal, compareByQuality, goalScore, preferBonus, type ScoreReference, type Scored } from './score-candidate.ts';

/**
 * eligible: passes every constraint. quality_limited: passes every hard constraint but is predicted
 * under min_quality, so it is only a fallback. ineligible: cannot serve this request at all.
 */
export type CandidateStatus = 'eligible' | 'quality_limited' | 'ineligible';

export type IneligibleReason =
  'excluded' | 'not_required' | 'missing_capability' | 'context_window' | 'breaker_open' | 'over_max_cost' | 'over_max_latency' | 'under_min_quality';

export interface RankedCandidate extends Scored {
  status: CandidateStatus;
  reasonCode: IneligibleReason | undefined;
  reason: string | undefined;
}

/** Every field written in one order, so all candidates share one object shape (this runs per request). */
function toRanked(
  c: CandidateEstimate,
  score: number,
  status: CandidateStatus,
  reasonCode: IneligibleReason | undefined,
  reason: string | undefined,
): RankedCandidate {
  return {
    model: c.model,
    predictedQuality: c.predictedQuality,
    estCostUsd: c.estCostUsd,
    estLatencyMs: c.estLatencyMs,
    outputTokens: c.outputTokens,
    errorRate: c.errorRate,
    breakerOpen: c.breakerOpen,
    technique: c.technique,
    score,
    status,
    reasonCode,
    reason,
  };
}

export interface ChooseModelInput {
  estimates: readonly CandidateEstimate[];
  constraints: RoutingConstraints;
  rules: CombinedRuleAction;
  requiredCapabilities?: readonly string[];
  promptTokens: number;
  /** max_tokens of the request: the context window must hold that much output, not just the expectation. */
  requestMaxOutputTokens?: number;
}

export type ModelChoice =
  | {
      ok: true;
      chosen: RankedCandidate;
      /** Everyone, best first: eligible by score, then quality-limited by quality, then ineligible. */
      ranked: RankedCandidate[];
      fallbacks: string[];
      /** False when no candidate reached min_quality and the best-predicted one was taken instead. */
      metMinQuality: boolean;
    }
  | {
      ok: false;
      ranked: RankedCandidate[];
      /** 503 when a circuit breaker is what blocks a model (it may recover), 400 when the request or config rules everything out. */
      httpStatus: 400 | 503;
    };

type HardCheck = { code: IneligibleReason; reason: string } | undefined;

function checkHardConstraints(c: CandidateEstimate, input: ChooseModelInput): HardCheck {
  const { model } = c;
  const excludedBy = input.rules.excludedBy.get(model.id);
  if (excludedBy !== undefined) return { code: 'excluded', reason: `excluded by rule ${excludedBy}` };
  const requires = input.rules.requires;
  for (let i = 0; i < requires.length; i++) {
    const { rule, models } = requires[i]!;
    if (!models.has(model.id)) return { code: 'not_required', reason: `not among the models rule ${rule} requires` };
  }
  // Indexed: this runs per candidate per request, and `?? []` with for-of allocated an array and an iterator.
  const capabilities = input.requiredCapabilities;
  for (let i = 0; capabilities !== undefined && i < capabilities.length; i++) {
    const capability = capabilities[i]!;
    // `n` (several choices in one call) is the model's supports_n flag, not a listed capability.
    const has = capability === 'n' ? model.supports_n : model.capabilities.includes(capability);
    if (!has) return { code: 'missing_capability', reason: capability === 'n' ? 'no n > 1 support' : `no ${capability} support` };
  }
  const outputRoom = Math.min(input.requestMaxOutputTokens ?? c.outputTokens, model.max_output_tokens);
  const neededTokens = input.promptTokens + outputRoom;
  if (neededTokens > model.context_window) {
    return { code: 'context_window', reason: `context window ${model.context_window} < ${neededTokens} tokens needed` };
  }
  if (c.breakerOpen) return { code: 'breaker_open', reason: 'circuit breaker open' };
  const { maxCostUsd, maxLatencyMs } = input.constraints;
  if (maxCostUsd !== undefined && c.estCostUsd > maxCostUsd) {
    return { code: 'over_max_cost', reason: `estimated ${formatUsd(c.estCostUsd)} > max ${formatUsd(maxCostUsd)}` };
  }
  if (maxLatencyMs !== undefined && c.estLatencyMs > maxLatencyMs) {
    return { code: 'over_max_latency', reason: `estimated ${Math.round(c.estLatencyMs)} ms > max ${maxLatencyMs} ms` };
  }
  return undefined;
}

/**
 * The best cost and latency among those the goal chooses among: the candidates that pass every hard
 * check and meet min_quality, else those that pass, else all. One pass, no filtered copies.
 */
function scoreReference(estimates: readonly CandidateEstimate[], checks: readonly HardCheck[], minQuality: number): ScoreReference {
  let meetCost = Infinity;
  let meetLatency = Infinity;
  let passCost = Infinity;
  let passLatency = Infinity;
  let anyMeets = false;
  let anyPasses = false;
  let allCost = Infinity;
  let allLatency = Infinity;
  for (let i = 0; i < estimates.length; i++) {
    const c = estimates[i]!;
    if (c.estCostUsd < allCost) allCost = c.estCostUsd;
    if (c.estLatencyMs < allLatency) allLatency = c.estLatencyMs;
    if (checks[i] !== undefined) continue;
    anyPasses = true;
    if (c.estCostUsd < passCost) passCost = c.estCostUsd;
    if (c.estLatencyMs < passLatency) passLatency = c.estLatencyMs;
    if (!(c.predictedQuality >= minQuality)) continue;
    anyMeets = true;
    if (c.estCostUsd < meetCost) meetCost = c.estCostUsd;
    if (c.estLatencyMs < meetLatency) meetLatency = c.estLatencyMs;
  }
  if (anyMeets) return { minCostUsd: meetCost, minLatencyMs: meetLatency };
  if (anyPasses) return { minCostUsd: passCost, minLatencyMs: passLatency };
  return { minCostUsd: allCost, minLatencyMs: allLatency };
}

/**
 * Filters the candidates by the hard constraints and min_quality, scores them by the goal (plus the
 * prefer bonus) and ranks them. See score-candidate.ts for the scores.
 */
export function chooseModel(input: ChooseModelInput): ModelChoice {
  const { goal, minQuality } = input.constraints;
  const { estimates } = input;
  const checks: HardCheck[] = new Array<HardCheck>(estimates.length);
  for (let i = 0; i < estimates.length; i++) checks[i] = checkHardConstraints(estimates[i]!, input);
  // Ratios are taken against the best of those the goal chooses among, so a free model too weak to be
  // chosen does not make every other model look expensive.
  const ref = scoreReference(estimates, checks, minQuality);

  const eligible: RankedCandidate[] = [];
  const qualityLimited: RankedCandidate[] = [];
  const ineligible: RankedCandidate[] = [];
  const prefer = input.rules.prefer;
  for (let i = 0; i < estimates.length; i++) {
    const c = estimates[i]!;
    const score = goalScore(goal, c, ref) + preferBonus(prefer.length === 0 ? -1 : prefer.indexOf(c.model.id));
    const check = checks[i];
    if (check) ineligible.push(toRanked(c, score, 'ineligible', check.code, check.reason));
    else if (c.predictedQuality < minQuality) {
      const reason = `predicted quality ${c.predictedQuality.toFixed(2)} < required ${minQuality.toFixed(2)}`;
      qualityLimited.push(toRanked(c, score, 'quality_limited', 'under_min_quality', reason));
    } else eligible.push(toRanked(c, score, 'eligible', undefined, undefined));
  }
  const byGoal = compareByGoal(goal);
  sortShort(eligible, byGoal);
  sortShort(qualityLimited, compareByQuality);
  sortShort(ineligible, byGoal);

  const metMinQuality = eligible.length > 0;
  if (!metMinQuality) {
    // The constraint is relaxed rather than failing the request; the rationale says so.
    for (const c of qualityLimited) {
      c.status = 'eligible';
      c.reasonCode = undefined;
      c.reason = undefined;
    }
  }
  // Best first: the usable ones (eligible, then quality-limited), then the ineligible.
  const ranked = eligible;
  for (const c of qualityLimited) ranked.push(c);
  const usableCount = ranked.length;
  for (const c of ineligible) ranked.push(c);
  const chosen = ranked[0];
  if (usableCount === 0 || !chosen) {
    return { ok: false, ranked, httpStatus: ineligible.some((c) => c.reasonCode === 'breaker_open') ? 503 : 400 };
  }
  // Fallbacks are plain models for the provider call: "model + technique" candidates and repeats of the chosen model are left out.
  const fallbacks: string[] = [];
  for (let i = 0; i < usableCount; i++) {
    const c = ranked[i]!;
    if (c.technique === undefined && c.model.id !== chosen.model.id) fallbacks.push(c.model.id);
  }
  return { ok: true, chosen, ranked, fallbacks, metMinQuality };
}
