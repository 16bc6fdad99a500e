import type { ChatCompletion, ChatCompletionChunk } from './chat-schema.ts';
import { formatSseData, SSE_DONE } from './sse.ts';

/** Longest piece per content chunk: small enough to render progressively, large enough to keep the event count low. */
const PIECE_CHARS = 48;

/**
 * Splits text at whitespace into pieces of about PIECE_CHARS that join back to the exact text (a
 * word longer than that stays whole).
 */
export function answerPieces(text: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const token of text.split(/(?<=\s)/)) {
    if (current.length > 0 && current.length + token.length > PIECE_CHARS) {
      pieces.push(current);
      current = '';
    }
    current += token;
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

type ChunkChoice = ChatCompletionChunk['choices'][number];
type CompletionChoice = ChatCompletion['choices'][number];

/** The deltas one choice streams: role, content pieces, logprobs, refusal, each tool call (head, then its arguments), finish. */
function choiceDeltas(choice: CompletionChoice): ChunkChoice[] {
  const index = choice.index;
  const out: ChunkChoice[] = [{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }];
  for (const piece of answerPieces(choice.message.content ?? '')) out.push({ index, delta: { content: piece }, finish_reason: null });
  // Token logprobs ride whole on one chunk: a client that concatenates `logprobs.content` gets them all.
  if (choice.logprobs != null) out.push({ index, delta: {}, logprobs: choice.logprobs, finish_reason: null });
  if (choice.message.refusal) out.push({ index, delta: { refusal: choice.message.refusal }, finish_reason: null });
  for (const [i, call] of (choice.message.tool_calls ?? []).entries()) {
    out.push({
      index,
      delta: { tool_calls: [{ index: i, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] },
      finish_reason: null,
    });
    for (const piece of answerPieces(call.function.arguments)) {
      out.push({ index, delta: { tool_calls: [{ index: i, function: { arguments: piece } }] }, finish_reason: null });
    }
  }
  out.push({ index, delta: {}, finish_reason: choice.finish_reason });
  return out;
}

/**
 * A finished completion as the chunks a stream of it carries: per choice (one after another, as
 * OpenAI's n streams do per index) a role chunk, the content in pieces, logprobs, refusal, each tool
 * call and a finish chunk. For answers the gateway has whole before the first byte (cache hits,
 * technique results), in whichever format the client streams.
 */
export function completionChunks(completion: ChatCompletion): ChatCompletionChunk[] {
  const base = { id: completion.id, object: 'chat.completion.chunk' as const, created: completion.created, model: completion.model };
  return completion.choices.flatMap((choice) => choiceDeltas(choice).map((delta): ChatCompletionChunk => ({ ...base, choices: [delta] })));
}

/** The same as OpenAI SSE events, one string each: the chunks, a usage chunk when the client asked (include_usage), [DONE]. */
export function completionSseEvents(completion: ChatCompletion, includeUsage: boolean): string[] {
  const events = completionChunks(completion).map(formatSseData);
  if (includeUsage && completion.usage) {
    const usageChunk: ChatCompletionChunk = {
      id: completion.id,
      object: 'chat.completion.chunk',
      created: completion.created,
      model: completion.model,
      choices: [],
      usage: completion.usage,
    };
    events.push(formatSseData(usageChunk));
  }
  events.push(SSE_DONE);
  return events;
}
