import { ZERO_USAGE, type NormalizedUsage } from '../providers/types.ts';

/** Every kind of token summed over several upstream calls (prompt tokens included, unlike OptiLLM). */
export function sumUsage(usages: Iterable<NormalizedUsage>): NormalizedUsage {
  const total: NormalizedUsage = { ...ZERO_USAGE };
  for (const u of usages) {
    total.inputTokens += u.inputTokens;
    total.cachedInputTokens += u.cachedInputTokens;
    total.cacheWriteTokens += u.cacheWriteTokens;
    total.outputTokens += u.outputTokens;
    total.reasoningTokens += u.reasoningTokens;
  }
  return total;
}
