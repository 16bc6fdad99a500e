import type { ChatCompletion, FinishReason } from '../providers/chat-schema.ts';
import { toOpenAIUsage, type NormalizedUsage } from '../providers/types.ts';

/** The final answer of a technique, as the client gets it. */
export interface OptimizedReply {
  id: string;
  created: number;
  model: string;
  answer: string;
  finishReason: string;
  /** Choices 1… for a client's n > 1 (the technique's next best answers); empty or absent for one. */
  alternatives?: Array<{ answer: string; finishReason: string }>;
  usage: NormalizedUsage;
}

/** Every choice the client gets, in order. */
function choicesOf(r: OptimizedReply): Array<{ answer: string; finishReason: string }> {
  return [{ answer: r.answer, finishReason: r.finishReason }, ...(r.alternatives ?? [])];
}

const FINISH_REASONS = new Set<string>(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

/** Techniques may report their own reasons (e.g. a vote); the client sees an OpenAI one. */
export function clientFinishReason(reason: string): FinishReason {
  return FINISH_REASONS.has(reason) ? (reason as FinishReason) : 'stop';
}

export function optimizedCompletion(r: OptimizedReply): ChatCompletion {
  return {
    id: r.id,
    object: 'chat.completion',
    created: r.created,
    model: r.model,
    choices: choicesOf(r).map((c, index) => ({
      index,
      message: { role: 'assistant', content: c.answer },
      finish_reason: clientFinishReason(c.finishReason),
      logprobs: null,
    })),
    usage: toOpenAIUsage(r.usage),
  };
}
