import type { Goal, ModelConfig, TaskType } from '../config/schema.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import type { CandidateScore } from '../store/types.ts';

/** Numeric description of a prompt, computed in-process from the messages. */
export interface PromptFeatures {
  /** Dense named features (token counts, code/math/question/reasoning markers, structure, depth...). */
  dense: Record<string, number>;
  /** Hashed word and character n-grams: sorted bucket indices and their weights. */
  hashedIdx: Uint32Array;
  hashedVal: Float32Array;
  /** Focus words and bigrams in the ridge heads' larger space (when the hashing spec has `text`). */
  textIdx?: Uint32Array;
  textVal?: Float32Array;
}

export interface PromptAnalysis {
  features: PromptFeatures;
  taskType: TaskType;
  /** 0 (trivial) – 1 (hard). */
  complexity: number;
  promptTokens: number;
  /** The text the analysis was run on (last user turn plus context, as the analyzer decides). */
  language: string;
}

/** The predictor's per-prompt terms at decision time, kept with the outcome so the router can learn from it. */
export interface PromptTerms {
  difficulty: number;
  discrimination: number;
}

/** Predicts, for each model, the probability that it answers this prompt well. Pure and synchronous. */
export interface QualityPredictor {
  readonly version: string;
  /** Model ids the trained parameters know; others are served from catalog priors. */
  knownModels(): string[];
  predict(analysis: PromptAnalysis, models: readonly ModelConfig[]): number[];
  /**
   * Trust in the per-prompt part of `predict` for this prompt, 0–1, and whether it was low enough that
   * the predictions lean on task-level quality (absent: a predictor without one).
   */
  trust?(analysis: PromptAnalysis): PromptTrust;
  /** Thompson sampling (exploration): abilities drawn from their posterior instead of taken at the mean. */
  sample?(analysis: PromptAnalysis, models: readonly ModelConfig[], random: () => number): number[];
  promptTerms?(analysis: PromptAnalysis): PromptTerms;
}

export interface RoutingConstraints {
  goal: Goal;
  minQuality: number;
  maxCostUsd?: number;
  maxLatencyMs?: number;
}

/** Live numbers the gateway observes per model, blended into the policy's performance estimate. */
export interface LiveModelStats {
  ttftMsEwma?: number;
  outputTokensPerSEwma?: number;
  errorRate?: number;
  samples: number;
  breakerOpen?: boolean;
}

export interface RouteInput {
  routingModel: string;
  messages: ChatMessage[];
  /** max_tokens / max_completion_tokens of the request, if set. */
  maxOutputTokens?: number;
  keyId?: string;
  /** The API key's name: `optimizer.disabled_keys` may list keys by id or by name. */
  keyName?: string;
  team?: string;
  metadata?: Record<string, string>;
  /** Caller overrides from headers or the `aigw` body field. */
  overrides?: Partial<RoutingConstraints>;
  /** Required capabilities derived from the request (tools, json, vision). */
  requiredCapabilities?: string[];
  /** The key has a budget: exploration then never picks a candidate dearer than the mean choice. */
  budgeted?: boolean;
}

export interface PromptTrust {
  trust: number;
  unfamiliar: boolean;
}

export interface RouteDecision {
  id: string;
  routingModel: string;
  taskType: TaskType;
  complexity: number;
  /** The prompt's language as analyzePrompt detected it (ISO 639-1, `und` when unknown). */
  language: string;
  constraints: RoutingConstraints;
  chosenModel: string;
  /** Ranked best first, ineligible ones last with their reason. */
  candidates: CandidateScore[];
  /** Set when the chosen candidate is "model + technique": the request path runs the technique on `chosenModel`. */
  technique?: { spec: string; options: Record<string, number> };
  /** Models to try after the chosen one, in order. */
  fallbacks: string[];
  rulesFired: string[];
  rationale: string;
  routerVersion: string;
  decisionUs: number;
  /** The predictor's trust in this prompt's per-prompt predictions (absent: the predictor has none). */
  trust?: number;
  /** Chosen by exploration (Thompson sampling among the candidates that meet every constraint). */
  explored?: boolean;
  /** What a learning row needs from the decision (no text): the prompt's features and predictor terms. */
  learning?: { features: PromptFeatures; terms: PromptTerms };
}
