import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../../providers/chat-schema.ts';
import type { NormalizedUsage } from '../../providers/types.ts';

/**
 * The wire format the client speaks: the pipeline runs every request as a chat request and answers
 * through one of these — OpenAI's chat completions (src/pipeline/client-format/openai-format.ts) or
 * Anthropic's Messages (src/pipeline/messages-api/messages-format.ts).
 */
export interface ClientFormat {
  /** The body of a non-streamed answer; `usage` is the settled one and `costUsd` its price. */
  answer(completion: ChatCompletion, usage: NormalizedUsage, costUsd: number, requestId: string): unknown;
  /** A writer for one streamed answer. */
  streamWriter(ctx: { body: ChatRequest; requestId: string; model: string }): StreamWriter;
  /** The SSE events of an answer the gateway has whole before the first byte (a technique's result, a cache hit). */
  wholeStream(completion: ChatCompletion, usage: NormalizedUsage, costUsd: number, ctx: { body: ChatRequest; requestId: string }): string[];
}

/**
 * Writes one streamed answer in the client's format from the OpenAI chunks the pipeline relays.
 * Each method returns the SSE text to send, so writers stay pure.
 */
export interface StreamWriter {
  /** One chunk of the answer (the upstream's usage-only chunks never reach a writer). */
  chunk(chunk: ChatCompletionChunk): string;
  /** The answer ended cleanly; `usage` is what the gateway settled on, `costUsd` its price. */
  end(usage: NormalizedUsage, costUsd: number): string;
  /** The upstream failed mid-answer: the client learns the answer is incomplete. */
  fail(kind: string, message: string): string;
}
