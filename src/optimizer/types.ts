import type { ChatMessage, ChatRequest } from '../providers/chat-schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';

/**
 * The contract between the inference-time techniques (src/optimizer/techniques/) and the gateway.
 * A technique never talks to an upstream itself: every call goes through `Complete`, which the
 * gateway implements over its providers, retries, fallback, breakers and cost accounting, and which
 * tests implement with a scripted upstream.
 */

/** One upstream call a technique asks for. Unset fields inherit the client's request. */
export interface CompletionCall {
  messages: ChatMessage[];
  /** Choices wanted from this call; `Complete` uses the upstream's `n` when the model supports it, parallel calls otherwise. */
  n?: number;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  /** Shown in `aigw optimize` and stored in the impact log: which step of the technique made the call (e.g. `moa:critique`). */
  label: string;
}

export interface CompletionResult {
  /** One text per choice (n of them). */
  texts: string[];
  finishReasons: Array<string | null>;
  /** Summed over every upstream request this call needed (e.g. n parallel requests). */
  usage: NormalizedUsage;
  costUsd: number;
  /** The model that answered. */
  model: string;
  /** Upstream requests this call made (1, or n when `n` was emulated with parallel calls). */
  upstreamRequests: number;
}

export type Complete = (call: CompletionCall) => Promise<CompletionResult>;

/** The limits a technique states before it runs (OptiLLM gives none; callers and budgets need them). */
export interface TechniqueBounds {
  /** Most upstream requests the technique can make, counting emulated `n` as n requests. */
  maxUpstreamRequests: number;
  /** Most completion tokens it can ask for in total, given the per-call `max_tokens`. */
  maxCompletionTokens: number;
}

export interface TechniqueContext {
  /** The client's request with the technique selector removed. */
  request: ChatRequest;
  complete: Complete;
  /** Numeric knobs (k for self_consistency, n for bon, rounds for mcts, …), validated by the technique. */
  options: Readonly<Record<string, number>>;
  /** Aborted when the client leaves: stop issuing calls. */
  signal?: AbortSignal;
}

export interface TechniqueAnswer {
  answer: string;
  finishReason: string;
}

export interface TechniqueResult extends TechniqueAnswer {
  /**
   * Further answers, best first, from the same calls (a vote's other samples): a client's n > 1 is
   * served from them instead of re-running the whole technique n times as OptiLLM does.
   */
  alternatives?: TechniqueAnswer[];
}

export interface Technique {
  readonly name: string;
  readonly description: string;
  bounds(request: ChatRequest, options: Readonly<Record<string, number>>): TechniqueBounds;
  /** Most answers one run returns (1 + alternatives), for a client's n; absent: one. Validates the options. */
  maxChoices?(options: Readonly<Record<string, number>>): number;
  run(ctx: TechniqueContext): Promise<TechniqueResult>;
}

/** One upstream call as it happened, for the impact log and `aigw optimize`. */
export interface CallRecord {
  label: string;
  model: string;
  upstreamRequests: number;
  usage: NormalizedUsage;
  costUsd: number;
}

/** What running a technique (or a combination `a&b`, `a|b`) produced, usage and cost summed over every call. */
export interface OptimizedAnswer extends TechniqueResult {
  technique: string;
  calls: CallRecord[];
  usage: NormalizedUsage;
  costUsd: number;
  bounds: TechniqueBounds;
}
