import type { z } from 'zod';
import type { MaxTokensSizing } from '../../config/optimizer-schema.ts';
import type { Effect, Evidence } from './recommendation-types.ts';

export type MaxTokensSizingConfig = z.infer<typeof MaxTokensSizing>;

/** Completion lengths observed for one task type (optionally one model), from completed requests. */
export interface LengthStats {
  taskType: string;
  /** Set when the lengths are of one model's answers only. */
  model?: string;
  /** Output tokens of each completed request, ascending. */
  sortedOutputTokens: readonly number[];
  /** How many of them stopped at their max_tokens (finish_reason `length`): their true length is unknown. */
  truncated: number;
  /** Oldest and newest request in the window, epoch ms. */
  fromMs: number;
  toMs: number;
}

/** Nearest-rank percentile of an ascending list (p in (0, 1]). */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty list');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

/** What a max_tokens of `cap` would have done to the observed answers. */
export function cutBy(sorted: readonly number[], cap: number): { answersCut: number; tokensCut: number } {
  let answersCut = 0;
  let tokensCut = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i]! > cap; i--) {
    answersCut += 1;
    tokensCut += sorted[i]! - cap;
  }
  return { answersCut, tokensCut };
}

export interface MaxTokensRecommendation {
  parameter: 'max_tokens';
  current: number | null;
  recommended: number;
  reason: string;
  effect: Effect;
  evidence: Evidence;
}

export type MaxTokensOutcome = { ok: true; recommendation: MaxTokensRecommendation } | { ok: false; reason: string };

export interface SizeMaxTokensInput {
  stats: LengthStats | undefined;
  taskType: string;
  sizing: MaxTokensSizingConfig;
  /** max_tokens / max_completion_tokens the caller sent, if any. */
  requestedMaxTokens: number | undefined;
  /** The model the request will go to: its output limit caps the recommendation, its price values the effect. */
  model: { id: string; maxOutputTokens: number; outputUsdPerMTok: number } | undefined;
}

/**
 * max_tokens = ceil(percentile of observed lengths × margin), capped by the model's output limit.
 * Recommended only when it lowers what the request would otherwise allow: a caller who asked for less
 * keeps their value (they may want short answers, and raising the cap only raises the worst case).
 * Not recommended with fewer than `min_samples` completed requests, or when more answers hit their
 * own max_tokens than the percentile leaves above it (the percentile would be of cut answers, and
 * sizing from it would ratchet the cap down).
 *
 * Expected effect: billed output tokens fall only by what the cap cuts off answers longer than it
 * (observed: the tokens above the cap, per request), at the price of cutting that share of answers;
 * what it always lowers is the worst case a budget has to reserve for.
 */
export function sizeMaxTokens(input: SizeMaxTokensInput): MaxTokensOutcome {
  const { stats, sizing, taskType, model } = input;
  const n = stats?.sortedOutputTokens.length ?? 0;
  if (!stats || n < sizing.min_samples) {
    return { ok: false, reason: `${n} completed ${taskType} requests observed; max_tokens is sized from at least ${sizing.min_samples}` };
  }
  if (stats.truncated / n > 1 - sizing.percentile) {
    return {
      ok: false,
      reason: `${stats.truncated} of ${n} observed ${taskType} answers stopped at their max_tokens, so their p${Math.round(sizing.percentile * 100)} is of cut answers`,
    };
  }
  const percentileTokens = percentileOf(stats.sortedOutputTokens, sizing.percentile);
  const sized = Math.max(1, Math.ceil(percentileTokens * sizing.margin));
  const recommended = model ? Math.min(sized, model.maxOutputTokens) : sized;
  const allowed = input.requestedMaxTokens ?? model?.maxOutputTokens;
  if (input.requestedMaxTokens !== undefined && input.requestedMaxTokens <= recommended) {
    return { ok: false, reason: `the request already asks for max_tokens ${input.requestedMaxTokens} ≤ the sized ${recommended}` };
  }
  const { answersCut, tokensCut } = cutBy(stats.sortedOutputTokens, recommended);
  const outputTokensSaved = tokensCut / n;
  const pct = Math.round(sizing.percentile * 100);
  const source = stats.model ? `${stats.model} on ${taskType}` : taskType;
  return {
    ok: true,
    recommendation: {
      parameter: 'max_tokens',
      current: input.requestedMaxTokens ?? null,
      recommended,
      reason: `p${pct} of ${n} observed ${source} answers is ${percentileTokens} tokens; × ${sizing.margin} margin`,
      effect: {
        cost_usd: model ? negate((outputTokensSaved * model.outputUsdPerMTok) / 1e6) : null,
        output_tokens: negate(outputTokensSaved),
        quality: negate(answersCut / n),
        worst_case_output_tokens: allowed === undefined ? null : recommended - allowed,
        note: `would have cut ${answersCut} of ${n} observed answers (${formatShare(answersCut / n)}), ${tokensCut} tokens in all`,
      },
      evidence: {
        source: 'observed_requests',
        requests: n,
        model: stats.model ?? null,
        percentile: sizing.percentile,
        percentile_tokens: percentileTokens,
        margin: sizing.margin,
        truncated: stats.truncated,
        from: new Date(stats.fromMs).toISOString(),
        to: new Date(stats.toMs).toISOString(),
      },
    },
  };
}

/** A saving as a negative change, without a -0 (JSON would print it as 0 anyway). */
function negate(x: number): number {
  return x === 0 ? 0 : -x;
}

function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
