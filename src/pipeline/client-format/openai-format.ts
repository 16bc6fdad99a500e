import type { ChatCompletionChunk, OpenAIUsage } from '../../providers/chat-schema.ts';
import { completionSseEvents } from '../../providers/completion-chunks.ts';
import { formatSseData, SSE_DONE } from '../../providers/sse.ts';
import { toOpenAIUsage, type NormalizedUsage } from '../../providers/types.ts';
import type { ClientFormat, StreamWriter } from './client-format.ts';

/** OpenAI's usage plus `cost`: the request's price in USD, as OpenRouter puts it (readable from any SDK). */
export type UsageWithCost = OpenAIUsage & { cost: number };

export function usageWithCost(usage: NormalizedUsage, costUsd: number): UsageWithCost {
  return { ...toOpenAIUsage(usage), cost: costUsd };
}

/**
 * OpenAI chat completions: the completion as it is with `usage.cost`; streamed chunks as they are,
 * then — when the client asked (stream_options.include_usage) — one usage chunk with the settled
 * usage and its cost, then `[DONE]`. A stream cut mid-answer ends with an error event and no [DONE].
 */
export const openaiFormat: ClientFormat = {
  answer(completion, usage, costUsd) {
    return { ...completion, usage: usageWithCost(usage, costUsd) };
  },
  wholeStream(completion, usage, costUsd, { body }) {
    return completionSseEvents({ ...completion, usage: usageWithCost(usage, costUsd) }, body.stream_options?.include_usage === true);
  },
  streamWriter({ body, requestId, model }): StreamWriter {
    let template: Pick<ChatCompletionChunk, 'id' | 'created' | 'model'> | undefined;
    return {
      chunk(chunk) {
        template ??= { id: chunk.id, created: chunk.created, model: chunk.model };
        return formatSseData(chunk);
      },
      end(usage, costUsd) {
        if (!body.stream_options?.include_usage) return SSE_DONE;
        const usageChunk: Omit<ChatCompletionChunk, 'usage'> & { usage: UsageWithCost } = {
          id: template?.id ?? `chatcmpl-${requestId}`,
          object: 'chat.completion.chunk',
          created: template?.created ?? Math.floor(Date.now() / 1000),
          model: template?.model ?? model,
          choices: [],
          usage: usageWithCost(usage, costUsd),
        };
        return formatSseData(usageChunk) + SSE_DONE;
      },
      fail(kind, message) {
        return formatSseData({
          error: { message: `The upstream stream failed mid-answer (${message}); the answer is incomplete.`, type: 'upstream_error', param: null, code: kind },
        });
      },
    };
  },
};
