import { countMessageTokens } from '../costs/estimate-tokens.ts';
import { expectedCostUsd } from '../costs/max-cost.ts';
import type { TechniqueSource } from '../optimizer/optillm-conventions.ts';
import type { TechniqueBounds } from '../optimizer/types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { NormalizedUsage, UpstreamTarget } from '../providers/types.ts';
import type { RouteDecision } from '../router/types.ts';
import type { CallLedger, CallLog } from './gateway-complete.ts';

/** Token counts in the row's snake_case vocabulary. */
export interface UsageJson {
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
}

/** The request row's `optimization` column: what ran, what it sent, and what it cost against a plain call. */
export interface OptimizationJson {
  technique: string;
  source: TechniqueSource;
  options: Record<string, number>;
  /** Set when the router recommended the technique (`source: router`): what it predicted, to hold against what happened. */
  recommendation?: RouterRecommendation;
  /** The sampling parameters of the client's request as sent; each call's own overrides are in `calls[].params`. */
  params_sent: { model: string; temperature: number | null; top_p: number | null; max_tokens: number | null };
  bounds: { max_upstream_requests: number; max_completion_tokens: number };
  /** Upstream HTTP requests made, counting emulated `n` as n requests. */
  upstream_calls: number;
  calls: Array<{
    label: string;
    model: string;
    upstream_requests: number;
    usage: UsageJson;
    cost_usd: number;
    params: CallLog['params'];
    failed?: true;
  }>;
  usage: UsageJson;
  cost_usd: number;
  /** The plain single call's expected cost: the same prompt, one answer of the average length seen here, on the first model. */
  plain_estimate_usd: number;
  /** Set when the technique did not finish; the spend above is what it cost until then. */
  error?: string;
}

/** The router's numbers for "model + technique" and for the model alone, copied from its decision. */
export interface RouterRecommendation {
  decision_id: string;
  /** The candidate id, e.g. `sim-mini+self_consistency(k=5)`. */
  candidate: string;
  predicted_quality: number;
  est_cost_usd: number;
  /** The same model without the technique; null when the decision did not score it. */
  plain_predicted_quality: number | null;
  plain_est_cost_usd: number | null;
}

export interface OptimizationFacts {
  technique: string;
  source: TechniqueSource;
  options: Record<string, number>;
  /** The routing decision, when the router chose the technique. */
  decision?: RouteDecision | undefined;
  request: ChatRequest;
  bounds: TechniqueBounds;
  ledger: CallLedger;
  primary: UpstreamTarget | undefined;
  error?: string;
}

export function optimizationJson(f: OptimizationFacts): OptimizationJson {
  const { ledger, request } = f;
  const recommendation = f.source === 'router' && f.decision ? routerRecommendation(f.decision) : undefined;
  const out: OptimizationJson = {
    technique: f.technique,
    source: f.source,
    options: f.options,
    ...(recommendation ? { recommendation } : {}),
    params_sent: {
      model: f.primary?.model.id ?? request.model,
      temperature: request.temperature ?? null,
      top_p: request.top_p ?? null,
      max_tokens: request.max_completion_tokens ?? request.max_tokens ?? null,
    },
    bounds: { max_upstream_requests: f.bounds.maxUpstreamRequests, max_completion_tokens: f.bounds.maxCompletionTokens },
    upstream_calls: ledger.upstreamRequests,
    calls: ledger.calls.map((c) => ({
      label: c.label,
      model: c.model,
      upstream_requests: c.upstreamRequests,
      usage: usageJson(c.usage),
      cost_usd: c.costUsd,
      params: c.params,
      ...(c.failed ? { failed: true as const } : {}),
    })),
    usage: usageJson(ledger.usage),
    cost_usd: ledger.costUsd,
    plain_estimate_usd: plainEstimateUsd(request, ledger, f.primary),
  };
  if (f.error !== undefined) out.error = f.error;
  return out;
}

/** The chosen "model + technique" candidate of a decision and the plain model's own scores; undefined without one. */
export function routerRecommendation(decision: RouteDecision): RouterRecommendation | undefined {
  // Candidate ids are `<model>+<technique>(<options>)`; the decision ranks the chosen one first among them.
  const pairing = decision.candidates.find((c) => c.eligible && c.model.startsWith(`${decision.chosenModel}+`));
  if (!pairing) return undefined;
  const plain = decision.candidates.find((c) => c.model === decision.chosenModel);
  return {
    decision_id: decision.id,
    candidate: pairing.model,
    predicted_quality: pairing.predictedQuality,
    est_cost_usd: pairing.estCostUsd,
    plain_predicted_quality: plain?.predictedQuality ?? null,
    plain_est_cost_usd: plain?.estCostUsd ?? null,
  };
}

export function usageJson(u: NormalizedUsage): UsageJson {
  return {
    input_tokens: u.inputTokens,
    cached_input_tokens: u.cachedInputTokens,
    cache_write_tokens: u.cacheWriteTokens,
    output_tokens: u.outputTokens,
    reasoning_tokens: u.reasoningTokens,
  };
}

/**
 * What the client's request would have cost as one plain call: its own prompt, and one answer as long
 * as the average answer (choice) this run produced, reasoning included, at the first model's prices.
 */
export function plainEstimateUsd(request: ChatRequest, ledger: CallLedger, primary: UpstreamTarget | undefined): number {
  if (!primary) return 0;
  const choices = ledger.calls.filter((c) => !c.failed).reduce((sum, c) => sum + c.params.n, 0);
  const answerTokens = choices > 0 ? ledger.usage.outputTokens / choices : 0;
  return expectedCostUsd(countMessageTokens(request.messages, request.tools), answerTokens, primary.model.pricing);
}
