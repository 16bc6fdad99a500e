import type { ChatCompletion } from '../../providers/chat-schema.ts';
import type { NormalizedUsage } from '../../providers/types.ts';

/** Anthropic's `usage`: input_tokens excludes the prompt-cache reads and writes, which are counted apart. */
export interface MessagesUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type MessagesContent = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

export interface MessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: MessagesContent[];
  stop_reason: StopReason;
  stop_sequence: string | null;
  usage: MessagesUsage;
}

export function messagesUsage(u: NormalizedUsage): MessagesUsage {
  return {
    input_tokens: Math.max(0, u.inputTokens - u.cachedInputTokens - u.cacheWriteTokens),
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cachedInputTokens,
  };
}

/**
 * OpenAI's finish reason as Anthropic's stop reason. OpenAI does not say which stop sequence matched,
 * so a stop is `end_turn` with `stop_sequence` null.
 */
export function stopReasonOf(finish: string | null | undefined): StopReason {
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Tool arguments as the object Anthropic's `input` is; text that is not a JSON object is kept under `_raw`. */
export function toolInput(args: string): unknown {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : { _raw: args };
  } catch {
    return { _raw: args };
  }
}

/** Anthropic message ids look like `msg_…`; the gateway's request id keeps them traceable. */
export function messageId(requestId: string): string {
  return `msg_${requestId.replace(/-/g, '')}`;
}

/** The pipeline's chat completion (one choice) as an Anthropic Message. */
export function chatToMessage(completion: ChatCompletion, usage: NormalizedUsage, requestId: string): MessagesResponse {
  const choice = completion.choices[0];
  const content: MessagesContent[] = [];
  const text = choice?.message.content ?? '';
  if (text !== '') content.push({ type: 'text', text });
  for (const call of choice?.message.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
  }
  return {
    id: messageId(requestId),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: stopReasonOf(choice?.finish_reason),
    stop_sequence: null,
    usage: messagesUsage(usage),
  };
}
