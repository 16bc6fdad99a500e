import type { RouteDecision } from '../router/types.ts';
import type { CandidateScore, DecisionRow } from '../store/types.ts';

/** Significant digits of the numbers a stored decision keeps for each candidate. */
const STORED_DIGITS = 5;

/**
 * `x` rounded to STORED_DIGITS significant digits: 0.7942224794330118 → 0.79422, 0.0000126 stays. A
 * power of ten up to 1e22 is exact, so the division gives the double nearest the short decimal, which
 * prints as that decimal. Non-finite numbers pass through (the JSON writes them as null).
 */
export function roundStored(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const decimals = STORED_DIGITS - 1 - Math.floor(Math.log10(Math.abs(x)));
  if (decimals > 22) return x;
  if (decimals >= 0) {
    const f = 10 ** decimals;
    return Math.round(x * f) / f;
  }
  const f = 10 ** -decimals;
  return Math.round(x / f) * f;
}

function jsonNumber(x: number): string {
  return Number.isFinite(x) ? String(roundStored(x)) : 'null';
}

/** Full precision: replay compares a stored quality with `min_quality` (0.699996 must not become 0.7). */
function jsonExact(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null';
}

/**
 * The candidates as the decision row stores them: the JSON of CandidateScore[] (same keys, same order,
 * `reason` only when there is one) with cost and latency at 5 significant digits; predicted quality and
 * score keep full precision (the recommender's replay tests them against `min_quality`). Built by concatenation,
 * once per routed request: about half the bytes of full precision, and cheaper to write than
 * JSON.stringify's shortest round-trip digits. The decision the request path and the learning row
 * read keeps full precision.
 */
export function storedCandidatesJson(candidates: readonly CandidateScore[]): string {
  let out = '[';
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    if (i > 0) out += ',';
    out += `{"model":${JSON.stringify(c.model)},"predictedQuality":${jsonExact(c.predictedQuality)},"estCostUsd":${jsonNumber(c.estCostUsd)}`;
    out += `,"estLatencyMs":${jsonNumber(c.estLatencyMs)},"score":${jsonExact(c.score)},"eligible":${c.eligible ? 'true' : 'false'}`;
    if (c.reason !== undefined) out += `,"reason":${JSON.stringify(c.reason)}`;
    out += '}';
  }
  return `${out}]`;
}

/** The row a routed request's decision is logged as (table `decisions`). */
export function decisionRowOf(decision: RouteDecision, requestId: string, createdAtMs: number): DecisionRow {
  return {
    id: decision.id,
    request_id: requestId,
    created_at: createdAtMs,
    routing_model: decision.routingModel,
    task_type: decision.taskType,
    complexity: decision.complexity,
    goal: decision.constraints.goal,
    chosen_model: decision.chosenModel,
    candidates: storedCandidatesJson(decision.candidates),
    rules: JSON.stringify(decision.rulesFired),
    fallbacks: JSON.stringify(decision.fallbacks),
    rationale: decision.rationale,
    router_version: decision.routerVersion,
    decision_us: decision.decisionUs,
    trust: decision.trust ?? null,
    language: decision.language,
    explored: decision.explored === true,
  };
}
