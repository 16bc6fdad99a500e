import type { ChatCompletion, ChatCompletionChoice } from '../chat-schema.ts';
import { toOpenAIUsage } from '../types.ts';
import type { MappedCompletion, UpstreamTarget } from '../types.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asArray, asRecord, asString } from '../shared/wire-json.ts';
import { normalizeGeminiUsage } from './gemini-usage.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { promptBlockReason, readGeminiCandidate } from './read-gemini-candidate.ts';

type MessageWithReasoning = ChatCompletionChoice['message'] & { reasoning_content?: string };

/** Gemini GenerateContentResponse → OpenAI chat.completion, one choice per candidate. */
export function mapGeminiResponse(body: unknown, target: UpstreamTarget, requestId: string): MappedCompletion {
  const rec = asRecord(body);
  if (!rec || (!Array.isArray(rec.candidates) && promptBlockReason(rec) === undefined)) {
    throw new UpstreamCallError({ kind: 'server_error', status: 502, message: 'upstream response is not a Gemini response' });
  }
  const choices: ChatCompletionChoice[] = asArray(rec.candidates).map((raw, position) => {
    const c = readGeminiCandidate(raw, position, requestId);
    const message: MessageWithReasoning = {
      role: 'assistant',
      content: c.text === '' && c.toolCalls.length > 0 ? null : c.text,
    };
    if (c.toolCalls.length > 0) message.tool_calls = c.toolCalls;
    if (c.reasoning !== '') message.reasoning_content = c.reasoning;
    return {
      index: c.index,
      message,
      finish_reason: mapGeminiFinishReason(c.finishReason, c.toolCalls.length > 0) ?? 'stop',
      logprobs: null,
    };
  });
  if (choices.length === 0) {
    // The prompt itself was blocked: answer like OpenAI does for filtered output.
    choices.push({ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'content_filter', logprobs: null });
  }
  const usage = normalizeGeminiUsage(rec.usageMetadata);
  // The same OpenAI completion shape as the Anthropic and OpenAI mappers, filled from this wire format's own fields.
  const completion: ChatCompletion = {
    id: asString(rec.responseId) || fallbackCompletionId(requestId),
    object: 'chat.completion',
    created: nowUnixSeconds(),
    model: target.model.id,
    choices,
  };
  if (usage) completion.usage = toOpenAIUsage(usage);
  return { completion, usage };
}
