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
 * JSON.stringify(text) for a string: quoted as is when nothing in it needs escaping (model ids, rule
 * names, reasons), else JSON.stringify. JSON.stringify is a C++ builtin call, ~1.5k instructions for a
 * 12-character id; a decision row quotes about ten strings.
 */
function jsonString(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Control characters, `"`, `\` and surrogates (a lone one is escaped) take the builtin.
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** JSON.stringify of a string array, with jsonString for each. */
function jsonStringArray(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  let out = `[${jsonString(list[0]!)}`;
  for (let i = 1; i < list.length; i++) out += `,${jsonString(list[i]!)}`;
  return `${out}]`;
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
    out += `{"model":${jsonString(c.model)},"predictedQuality":${jsonExact(c.predictedQuality)},"estCostUsd":${jsonNumber(c.estCostUsd)}`;
    out += `,"estLatencyMs":${jsonNumber(c.estLatencyMs)},"score":${jsonExact(c.score)},"eligible":${c.eligible ? 'true' : 'false'}`;
    if (c.reason !== undefined) out += `,"reason":${jsonString(c.reason)}`;
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
    rules: jsonStringArray(decision.rulesFired),
    fallbacks: jsonStringArray(decision.fallbacks),
    rationale: decision.rationale,
    router_version: decision.routerVersion,
    decision_us: decision.decisionUs,
    trust: decision.trust ?? null,
    language: decision.language,
    explored: decision.explored === true,
  };
}
