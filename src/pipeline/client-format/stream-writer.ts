import type { ChatCompletionChunk } from '../../providers/chat-schema.ts';
import type { NormalizedUsage } from '../../providers/types.ts';

/**
 * Writes one streamed answer in the client's wire format (OpenAI chunks or Anthropic events) from the
 * OpenAI chunks the pipeline relays. Each method returns the SSE text to send, so writers stay pure.
 */
export interface StreamWriter {
  /** One chunk of the answer (the upstream's usage-only chunks never reach a writer). */
  chunk(chunk: ChatCompletionChunk): string;
  /** The answer ended cleanly; `usage` is what the gateway settled on, `costUsd` its price. */
  end(usage: NormalizedUsage, costUsd: number): string;
  /** The upstream failed mid-answer: the client learns the answer is incomplete. */
  fail(kind: string, message: string): string;
}

export function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export function sseEvent(name: string, value: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;
}
