import { countMessageTokens } from '../../costs/estimate-tokens.ts';
import type { ChatCompletion, ChatCompletionChunk } from '../../providers/chat-schema.ts';
import type { ClientFormat } from '../client-format/client-format.ts';
import { chatToMessage } from './chat-to-message.ts';
import { createMessageStreamWriter } from './message-stream-writer.ts';

/** A whole completion's first choice as the chunks a stream of it would carry: its text, each tool call, its finish. */
function chunksOf(completion: ChatCompletion): ChatCompletionChunk[] {
  const base = { id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model };
  const choice = completion.choices[0];
  if (!choice) return [];
  const deltas: Array<ChatCompletionChunk['choices'][number]> = [];
  if (choice.message.content) deltas.push({ index: 0, delta: { content: choice.message.content }, finish_reason: null });
  for (const [i, call] of (choice.message.tool_calls ?? []).entries()) {
    deltas.push({ index: 0, delta: { tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }] }, finish_reason: null });
  }
  deltas.push({ index: 0, delta: {}, finish_reason: choice.finish_reason });
  return deltas.map((d) => ({ ...base, choices: [d] }));
}

/** Anthropic's Messages format: a Message body, or Anthropic's SSE event sequence. */
export const messagesFormat: ClientFormat = {
  answer: (completion, usage, _costUsd, requestId) => chatToMessage(completion, usage, requestId),
  streamWriter: ({ body, requestId, model }) =>
    createMessageStreamWriter({ requestId, model, estimatedInputTokens: countMessageTokens(body.messages, body.tools) }),
  wholeStream(completion, usage, costUsd, { body, requestId }) {
    const writer = messagesFormat.streamWriter({ body, requestId, model: completion.model });
    return [...chunksOf(completion).map((c) => writer.chunk(c)), writer.end(usage, costUsd)];
  },
};
