import { costUsd } from '../costs/cost.ts';
import { countMessageTokens, countTextTokens } from '../costs/estimate-tokens.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { NormalizedUsage, UpstreamTarget } from '../providers/types.ts';
import { applyUsage, type RequestRecord } from './request-record.ts';

/** What one upstream answer used and cost. */
export interface SettledUsage {
  usage: NormalizedUsage;
  costUsd: number;
  /** True when the upstream sent no usage and the tokens were counted with gpt-tokenizer. */
  estimated: boolean;
}

/**
 * The usage of one upstream answer: the upstream's when it sent one, otherwise a gpt-tokenizer count
 * of the prompt (`body`) and the generated text; priced with the catalog.
 */
export function settleUsage(target: UpstreamTarget, body: ChatRequest, reported: NormalizedUsage | undefined, outputText: string): SettledUsage {
  const usage: NormalizedUsage = reported ?? {
    inputTokens: countMessageTokens(body.messages, body.tools),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTextTokens(outputText),
    reasoningTokens: 0,
  };
  return { usage, costUsd: costUsd(usage, target.model.pricing), estimated: reported === undefined };
}

/** Settles a plain request's one answer onto its row (`usage_estimated` when counted); returns the usage the client is told. */
export function accountUsage(
  record: RequestRecord,
  target: UpstreamTarget,
  body: ChatRequest,
  reported: NormalizedUsage | undefined,
  outputText: string,
): NormalizedUsage {
  const settled = settleUsage(target, body, reported, outputText);
  applyUsage(record.row, settled.usage, settled.costUsd, settled.estimated);
  return settled.usage;
}
