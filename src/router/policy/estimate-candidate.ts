import type { ModelConfig, Pricing } from '../../config/schema.ts';
import type { LiveModelStats } from '../types.ts';

/**
 * How many live samples count as much as the catalog numbers: with n samples the live EWMA gets weight
 * n / (n + 20). A handful of requests nudges the estimate; a few hundred all but replace the catalog.
 */
export const LIVE_PRIOR_SAMPLES = 20;
/** A model failing more often than this is treated as failing this often, so estimates stay finite. */
export const MAX_ERROR_RATE = 0.9;

/** The technique a "model + technique" candidate runs, as the request path needs it. */
export interface CandidateTechnique {
  spec: string;
  options: Record<string, number>;
  /** Shown in candidate ids and rationales: `self_consistency(k=5)`. */
  label: string;
  /** The model's own prediction, before the technique. */
  plainQuality: number;
  /** The plain call's estimated cost, for "k× the plain call" comparisons. */
  plainCostUsd: number;
  upstreamRequests: number;
}

export interface CandidateEstimate {
  model: ModelConfig;
  /** Predicted quality after the error-rate penalty: a failed call gives no answer at all. */
  predictedQuality: number;
  estCostUsd: number;
  /** Expected time to the last token, including the retries the live error rate implies. */
  estLatencyMs: number;
  /** Expected output tokens for this model (the request's expectation capped by the model's maximum). */
  outputTokens: number;
  /** Error rate after weighting by how many live samples back it. */
  errorRate: number;
  breakerOpen: boolean;
  /** Set on a "model + technique" candidate (technique-candidates.ts); plain models leave it undefined. */
  technique?: CandidateTechnique | undefined;
}

/** Same arithmetic as the price catalog: prices are USD per 1M tokens. */
export function estimateCostUsd(pricing: Pricing, promptTokens: number, outputTokens: number): number {
  return (promptTokens * pricing.input + outputTokens * pricing.output) / 1e6;
}

export function liveWeight(samples: number): number {
  return samples > 0 ? samples / (samples + LIVE_PRIOR_SAMPLES) : 0;
}

function blend(catalogValue: number, liveValue: number | undefined, weight: number): number {
  return liveValue === undefined || !Number.isFinite(liveValue) ? catalogValue : (1 - weight) * catalogValue + weight * liveValue;
}

export function estimateCandidate(
  model: ModelConfig,
  promptTokens: number,
  expectedOutputTokens: number,
  rawPredictedQuality: number,
  live: LiveModelStats,
): CandidateEstimate {
  const outputTokens = Math.min(expectedOutputTokens, model.max_output_tokens);
  const weight = liveWeight(live.samples);
  const ttftMs = blend(model.latency.ttft_ms, live.ttftMsEwma, weight);
  const tokensPerS = Math.max(1e-3, blend(model.latency.output_tokens_per_s, live.outputTokensPerSEwma, weight));
  const errorRate = Math.min(MAX_ERROR_RATE, Math.max(0, weight * (live.errorRate ?? 0)));
  // A failing call is retried or falls back: on average 1 / (1 - p) attempts, each costing the latency.
  const estLatencyMs = (ttftMs + (outputTokens / tokensPerS) * 1000) / (1 - errorRate);
  const quality = Number.isFinite(rawPredictedQuality) ? Math.min(1, Math.max(0, rawPredictedQuality)) : 0;
  return {
    model,
    predictedQuality: quality * (1 - errorRate),
    estCostUsd: estimateCostUsd(model.pricing, promptTokens, outputTokens),
    estLatencyMs,
    outputTokens,
    errorRate,
    breakerOpen: live.breakerOpen === true,
    technique: undefined,
  };
}
