import type { ChatCompletion, ChatCompletionChunk } from '../providers/chat-schema.ts';
import { toOpenAIUsage } from '../providers/types.ts';
import type { CachedAnswer, CachedChoice } from './cached-answer.ts';

/** Characters per replayed content chunk: big enough to keep the write count low, small enough to look like a stream. */
const REPLAY_CHUNK_CHARS = 256;

export interface ReplayIdentity {
  id: string;
  createdS: number;
}

/** A cached answer as a fresh completion: new id and time, the same choices, model and usage. */
export function completionFromCache(answer: CachedAnswer, ident: ReplayIdentity): ChatCompletion {
  return {
    id: ident.id,
    object: 'chat.completion',
    created: ident.createdS,
    model: answer.model,
    // Absent fields come back as OpenAI writes them: refusal and logprobs null.
    choices: answer.choices.map((c) => ({
      index: c.index,
      message: { ...c.message, refusal: c.message.refusal ?? null },
      logprobs: c.logprobs ?? null,
      finish_reason: c.finish_reason,
    })),
    usage: toOpenAIUsage(answer.usage),
  };
}

function splitText(text: string): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += REPLAY_CHUNK_CHARS) parts.push(text.slice(i, i + REPLAY_CHUNK_CHARS));
  return parts;
}

type ChunkChoice = ChatCompletionChunk['choices'][number];

/** The deltas one choice streams: role, content pieces, each tool call (head, then its arguments), finish. */
function choiceDeltas(choice: CachedChoice): ChunkChoice[] {
  const index = choice.index;
  const out: ChunkChoice[] = [{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }];
  for (const piece of splitText(choice.message.content ?? '')) out.push({ index, delta: { content: piece }, finish_reason: null });
  // Token logprobs ride whole on one chunk: a client that concatenates `logprobs.content` gets them all.
  if (choice.logprobs != null) out.push({ index, delta: {}, logprobs: choice.logprobs, finish_reason: null });
  if (choice.message.refusal) out.push({ index, delta: { refusal: choice.message.refusal }, finish_reason: null });
  for (const [i, call] of (choice.message.tool_calls ?? []).entries()) {
    out.push({
      index,
      delta: { tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] },
      finish_reason: null,
    });
    for (const piece of splitText(call.function.arguments)) {
      out.push({ index, delta: { tool_calls: [{ index: i, function: { arguments: piece } }] }, finish_reason: null });
    }
  }
  out.push({ index, delta: {}, finish_reason: choice.finish_reason });
  return out;
}

/**
 * A cached answer replayed as an OpenAI SSE stream: per choice a role chunk, content chunks and a
 * finish chunk; then one usage chunk when the client asked (include_usage); then [DONE].
 */
export function sseFromCache(answer: CachedAnswer, ident: ReplayIdentity, includeUsage: boolean): string {
  const base = { id: ident.id, object: 'chat.completion.chunk' as const, created: ident.createdS, model: answer.model };
  const events: string[] = [];
  for (const choice of answer.choices) {
    for (const delta of choiceDeltas(choice)) {
      const chunk: ChatCompletionChunk = { ...base, choices: [delta] };
      events.push(`data: ${JSON.stringify(chunk)}\n\n`);
    }
  }
  if (includeUsage) {
    const usageChunk: ChatCompletionChunk = { ...base, choices: [], usage: toOpenAIUsage(answer.usage) };
    events.push(`data: ${JSON.stringify(usageChunk)}\n\n`);
  }
  events.push('data: [DONE]\n\n');
  return events.join('');
}
