import { countMessageTokens } from '../../costs/estimate-tokens.ts';
import { completionChunks } from '../../providers/completion-chunks.ts';
import type { ClientFormat } from '../client-format/client-format.ts';
import { chatToMessage } from './chat-to-message.ts';
import { createMessageStreamWriter } from './message-stream-writer.ts';

/** Anthropic's Messages format: a Message body, or Anthropic's SSE event sequence. */
export const messagesFormat: ClientFormat = {
  answer: (completion, usage, _costUsd, requestId) => chatToMessage(completion, usage, requestId),
  streamWriter: ({ body, requestId, model }) =>
    createMessageStreamWriter({ requestId, model, estimatedInputTokens: countMessageTokens(body.messages, body.tools) }),
  wholeStream(completion, usage, costUsd, { body, requestId }) {
    const writer = messagesFormat.streamWriter({ body, requestId, model: completion.model });
    return [...completionChunks(completion).map((c) => writer.chunk(c)), writer.end(usage, costUsd)];
  },
};
