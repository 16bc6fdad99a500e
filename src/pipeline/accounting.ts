import { costUsd } from '../costs/cost.ts';
import { countMessageTokens, countTextTokens } from '../costs/estimate-tokens.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { NormalizedUsage, UpstreamTarget } from '../providers/types.ts';
import { applyUsage, type RequestRecord } from './request-record.ts';

/**
 * Settles what a request used: the upstream's usage when it sent one, otherwise a count with
 * gpt-tokenizer marked `usage_estimated`. Returns the usage the client is told.
 */
export function accountUsage(
  record: RequestRecord,
  target: UpstreamTarget,
  body: ChatRequest,
  reported: NormalizedUsage | undefined,
  outputText: string,
): NormalizedUsage {
  const estimated = reported === undefined;
  const usage: NormalizedUsage = reported ?? {
    inputTokens: countMessageTokens(body.messages, body.tools),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTextTokens(outputText),
    reasoningTokens: 0,
  };
  applyUsage(record.row, usage, costUsd(usage, target.model.pricing), estimated);
  return usage;
}
