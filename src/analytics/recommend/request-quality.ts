import { INCOMPLETE_FINISH_REASONS, SERVER_FAILURE_STATUS } from '../quality.ts';

/** One stored quality signal of a request (a feedback row's source and score). */
export interface QualitySignal {
  source: string;
  score: number;
}

/** What the request row itself says about completion. */
export interface CompletionFacts {
  status: number;
  finishReason: string | null;
}

/**
 * A request's observed quality, the same derivation as `scoredRequestsSql` in src/analytics/quality.ts
 * (which the descriptive analyses use), for rows already in memory: people first (`user` and every
 * caller label), then the judge, then stored completion signals, several of the best-ranked kind
 * averaged; without any signal, a gateway or upstream failure (≥ 500) or an answer cut off (`length`,
 * `content_filter`) scores 0; otherwise null (unknown: also every client error, 4xx).
 */
export function deriveRequestQuality(signals: readonly QualitySignal[], facts?: CompletionFacts): number | null {
  const rank = (source: string) => (source === 'judge' ? 1 : source === 'completion' ? 2 : 0);
  let bestRank = Infinity;
  for (const s of signals) bestRank = Math.min(bestRank, rank(s.source));
  const best = signals.filter((s) => rank(s.source) === bestRank && Number.isFinite(s.score));
  if (best.length > 0) return best.reduce((sum, s) => sum + s.score, 0) / best.length;
  if (!facts) return null;
  const failed = facts.status >= SERVER_FAILURE_STATUS;
  const cutOff = facts.status < 400 && facts.finishReason !== null && (INCOMPLETE_FINISH_REASONS as readonly string[]).includes(facts.finishReason);
  return failed || cutOff ? 0 : null;
}
