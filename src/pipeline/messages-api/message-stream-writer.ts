import type { ChatCompletionChunk, FinishReason } from '../../providers/chat-schema.ts';
import type { NormalizedUsage } from '../../providers/types.ts';
import type { StreamWriter } from '../client-format/client-format.ts';
import { formatSseEvent } from '../../providers/sse.ts';
import { messageId, messagesUsage, stopReasonOf } from './chat-to-message.ts';

export interface MessageStreamStart {
  requestId: string;
  model: string;
  /** The gateway's own count of the prompt, sent in message_start; message_delta carries the settled usage. */
  estimatedInputTokens: number;
}

/**
 * OpenAI chunks → Anthropic's SSE event sequence: message_start, ping, then per content block
 * content_block_start / content_block_delta… / content_block_stop (text blocks get text_delta, tool
 * calls become tool_use blocks fed input_json_delta), then message_delta (stop reason and usage) and
 * message_stop. A failure mid-answer is Anthropic's `event: error`.
 */
export function createMessageStreamWriter(start: MessageStreamStart): StreamWriter {
  let started = false;
  let nextBlock = 0;
  let open: { index: number; kind: 'text' | 'tool'; toolIndex?: number; toolId?: string } | undefined;
  let finish: FinishReason | null = null;

  const head = (): string => {
    if (started) return '';
    started = true;
    const message = {
      id: messageId(start.requestId),
      type: 'message',
      role: 'assistant',
      model: start.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: start.estimatedInputTokens, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    };
    return formatSseEvent('message_start', { type: 'message_start', message }) + formatSseEvent('ping', { type: 'ping' });
  };
  const closeBlock = (): string => {
    if (!open) return '';
    const text = formatSseEvent('content_block_stop', { type: 'content_block_stop', index: open.index });
    open = undefined;
    return text;
  };
  const openBlock = (kind: 'text' | 'tool', contentBlock: unknown, tool?: { index: number; id: string }): string => {
    const text = closeBlock();
    open = { index: nextBlock++, kind, toolIndex: tool?.index, toolId: tool?.id };
    return text + formatSseEvent('content_block_start', { type: 'content_block_start', index: open.index, content_block: contentBlock });
  };

  return {
    chunk(chunk: ChatCompletionChunk): string {
      let out = head();
      const choice = chunk.choices.find((c) => c.index === 0);
      if (!choice) return out;
      const text = choice.delta.content ?? '';
      if (text !== '') {
        if (open?.kind !== 'text') out += openBlock('text', { type: 'text', text: '' });
        out += formatSseEvent('content_block_delta', { type: 'content_block_delta', index: open!.index, delta: { type: 'text_delta', text } });
      }
      for (const call of choice.delta.tool_calls ?? []) {
        // A call's first delta names it; later deltas of the same call add argument text (some servers repeat its id).
        const sameCall = open?.kind === 'tool' && open.toolIndex === call.index && (call.id === undefined || call.id === open.toolId);
        if (!sameCall) {
          const id = call.id ?? `toolu_${start.requestId.replace(/-/g, '')}_${call.index}`;
          out += openBlock('tool', { type: 'tool_use', id, name: call.function?.name ?? '', input: {} }, { index: call.index, id });
        }
        const partial = call.function?.arguments ?? '';
        if (partial !== '') {
          out += formatSseEvent('content_block_delta', {
            type: 'content_block_delta',
            index: open!.index,
            delta: { type: 'input_json_delta', partial_json: partial },
          });
        }
      }
      if (choice.finish_reason) finish = choice.finish_reason;
      return out;
    },
    end(usage: NormalizedUsage): string {
      const delta = { stop_reason: stopReasonOf(finish), stop_sequence: null };
      return (
        head() +
        closeBlock() +
        formatSseEvent('message_delta', { type: 'message_delta', delta, usage: messagesUsage(usage) }) +
        formatSseEvent('message_stop', { type: 'message_stop' })
      );
    },
    fail(kind: string, message: string): string {
      return (
        head() +
        formatSseEvent('error', {
          type: 'error',
          error: { type: 'api_error', message: `The upstream stream failed mid-answer (${message}); the answer is incomplete. [${kind}]` },
        })
      );
    },
  };
}
