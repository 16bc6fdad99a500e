/**
 * The recommendations JSON of `POST /v1/optimize` (snake_case like the rest of the OpenAI surface).
 * Every recommendation says what it expects to change and what that expectation rests on.
 */

/** Expected change per request against sending the request as it is; null where there is no basis for a number. */
export interface Effect {
  /** Change in expected cost, USD per request (negative saves). */
  cost_usd: number | null;
  /** Change in expected billed output tokens per request. */
  output_tokens?: number | null;
  /** Change in the probability of a good answer (for max_tokens: minus the share of answers it would cut, an upper bound on the loss). */
  quality: number | null;
  /** Change in the most output tokens the request may be billed (what a budget reserves). */
  worst_case_output_tokens?: number | null;
  note: string;
}

export interface Evidence {
  /** `observed_requests`: this gateway's request log; `router_prediction`: the router's quality predictor and price catalog; `task_type_table`: a fixed table (docs/optimizer.md), not measured. */
  source: 'observed_requests' | 'router_prediction' | 'task_type_table';
  /** Past requests the numbers come from (0 for a table or a prediction). */
  requests: number;
  [detail: string]: string | number | null;
}

export interface ParameterRecommendation {
  parameter: 'temperature' | 'top_p' | 'max_tokens';
  current: number | null;
  recommended: number;
  reason: string;
  effect: Effect;
  evidence: Evidence;
}

export interface TechniqueRecommendation {
  technique: string;
  options: Record<string, number>;
  model: string;
  reason: string;
  effect: Effect;
  evidence: Evidence;
}

export interface ModelRecommendation {
  current: string;
  recommended: string;
  reason: string;
  effect: Effect;
  evidence: Evidence;
}

export interface Recommendations {
  task_type: string;
  /** The model the numbers are for (the request's model, or the router's choice for a routing model). */
  model: string | null;
  parameters: ParameterRecommendation[];
  technique: TechniqueRecommendation | null;
  model_change: ModelRecommendation | null;
  /** What was considered and not recommended, with why. */
  not_recommended: Array<{ what: string; reason: string }>;
}
