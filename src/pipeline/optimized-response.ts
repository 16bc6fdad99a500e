import type { ChatCompletion, ChatCompletionChunk, FinishReason } from '../providers/chat-schema.ts';
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
    choices: choicesOf(r).map((c, index) => ({ index, message: { role: 'assistant', content: c.answer }, finish_reason: clientFinishReason(c.finishReason), logprobs: null })),
    usage: toOpenAIUsage(r.usage),
  };
}

/** Longest content piece per chunk: small enough to render progressively, large enough to keep the event count low. */
const CHUNK_CHARS = 48;

/** Splits the answer at whitespace into pieces of about CHUNK_CHARS that join back to the exact text. */
export function answerPieces(answer: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const token of answer.split(/(?<=\s)/)) {
    if (current.length > 0 && current.length + token.length > CHUNK_CHARS) {
      pieces.push(current);
      current = '';
    }
    current += token;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

/**
 * The answer as chat.completion.chunk SSE events: per choice a role chunk, the content in pieces, a
 * finish chunk; a usage chunk when the client asked (stream_options.include_usage), then [DONE].
 */
export function optimizedStreamEvents(r: OptimizedReply, includeUsage: boolean): string[] {
  const chunk = (choices: ChatCompletionChunk['choices'], usage?: ChatCompletionChunk['usage']): string => {
    const c: ChatCompletionChunk = { id: r.id, object: 'chat.completion.chunk', created: r.created, model: r.model, choices };
    if (usage !== undefined) c.usage = usage;
    return `data: ${JSON.stringify(c)}\n\n`;
  };
  const events: string[] = [];
  // One choice after another, each complete (role, content pieces, finish), as OpenAI's n streams do per index.
  choicesOf(r).forEach((c, index) => {
    events.push(chunk([{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    for (const piece of answerPieces(c.answer)) events.push(chunk([{ index, delta: { content: piece }, finish_reason: null }]));
    events.push(chunk([{ index, delta: {}, finish_reason: clientFinishReason(c.finishReason) }]));
  });
  if (includeUsage) events.push(chunk([], toOpenAIUsage(r.usage)));
  events.push('data: [DONE]\n\n');
  return events;
}
