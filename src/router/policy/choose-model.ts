import type { RoutingConstraints } from '../types.ts';
import type { CandidateEstimate } from './estimate-candidate.ts';
import type { CombinedRuleAction } from './match-rules.ts';
import { formatUsd } from './format.ts';
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
  for (const { rule, models } of input.rules.requires) {
    if (!models.has(model.id)) return { code: 'not_required', reason: `not among the models rule ${rule} requires` };
  }
  for (const capability of input.requiredCapabilities ?? []) {
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

function scoreReference(pool: readonly CandidateEstimate[]): ScoreReference {
  let minCostUsd = Infinity;
  let minLatencyMs = Infinity;
  for (const c of pool) {
    if (c.estCostUsd < minCostUsd) minCostUsd = c.estCostUsd;
    if (c.estLatencyMs < minLatencyMs) minLatencyMs = c.estLatencyMs;
  }
  return { minCostUsd, minLatencyMs };
}

/**
 * Filters the candidates by the hard constraints and min_quality, scores them by the goal (plus the
 * prefer bonus) and ranks them. See score-candidate.ts for the scores.
 */
export function chooseModel(input: ChooseModelInput): ModelChoice {
  const { goal, minQuality } = input.constraints;
  const checks = input.estimates.map((c) => checkHardConstraints(c, input));
  const passing = input.estimates.filter((_, i) => checks[i] === undefined);
  const meeting = passing.filter((c) => c.predictedQuality >= minQuality);
  // Ratios are taken against the best of those the goal chooses among, so a free model too weak to be
  // chosen does not make every other model look expensive.
  const ref = scoreReference(meeting.length > 0 ? meeting : passing.length > 0 ? passing : input.estimates);

  const eligible: RankedCandidate[] = [];
  const qualityLimited: RankedCandidate[] = [];
  const ineligible: RankedCandidate[] = [];
  input.estimates.forEach((c, i) => {
    const score = goalScore(goal, c, ref) + preferBonus(input.rules.prefer.indexOf(c.model.id));
    const check = checks[i];
    if (check) ineligible.push(toRanked(c, score, 'ineligible', check.code, check.reason));
    else if (c.predictedQuality < minQuality) {
      const reason = `predicted quality ${c.predictedQuality.toFixed(2)} < required ${minQuality.toFixed(2)}`;
      qualityLimited.push(toRanked(c, score, 'quality_limited', 'under_min_quality', reason));
    } else eligible.push(toRanked(c, score, 'eligible', undefined, undefined));
  });
  eligible.sort(compareByGoal(goal));
  qualityLimited.sort(compareByQuality);
  ineligible.sort(compareByGoal(goal));

  const metMinQuality = eligible.length > 0;
  if (!metMinQuality) {
    // The constraint is relaxed rather than failing the request; the rationale says so.
    for (const c of qualityLimited) {
      c.status = 'eligible';
      c.reasonCode = undefined;
      c.reason = undefined;
    }
  }
  const usable = [...eligible, ...qualityLimited];
  const ranked = [...usable, ...ineligible];
  const chosen = usable[0];
  if (!chosen) {
    return { ok: false, ranked, httpStatus: ineligible.some((c) => c.reasonCode === 'breaker_open') ? 503 : 400 };
  }
  // Fallbacks are plain models for the provider call: "model + technique" candidates and repeats of the chosen model are left out.
  const fallbacks = usable.filter((c) => c.technique === undefined && c.model.id !== chosen.model.id).map((c) => c.model.id);
  return { ok: true, chosen, ranked, fallbacks, metMinQuality };
}
