import type { FinishReason } from '../chat-schema.ts';

/** Anthropic stop_reason → OpenAI finish_reason; null while the message is unfinished. */
export function mapAnthropicFinishReason(stopReason: unknown): FinishReason | null {
  switch (stopReason) {
    // pause_turn: a server tool paused a long turn; the text so far is a complete answer for this call.
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case null:
    case undefined:
      return null;
    default:
      return 'stop';
  }
}
