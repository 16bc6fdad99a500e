import type { ChatCompletion, ChatCompletionChoice, OpenAIUsage } from '../chat-schema.ts';
import type { MappedCompletion, NormalizedUsage, UpstreamTarget } from '../types.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asNumber, asRecord, asString } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { mapOpenAIInlineError } from './map-openai-error.ts';
import { normalizeOpenAIUsage } from './openai-usage.ts';

/** Upstream usage kept as sent (providers add fields like `cost`), with the three totals filled in. */
export function completeOpenAIUsage(raw: JsonRecord, usage: NormalizedUsage): OpenAIUsage {
  return {
    ...raw,
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: asNumber(raw.total_tokens) ?? usage.inputTokens + usage.outputTokens,
  };
}

/** The choice as sent (unknown fields kept), with its index, an assistant message and a mapped finish reason; built in place. */
function mapChoice(raw: unknown, position: number): ChatCompletionChoice {
  const choice = asRecord(raw) ?? {};
  const message = asRecord(choice.message) ?? {};
  const content = message.content;
  choice.index = asNumber(choice.index) ?? position;
  message.role = 'assistant';
  message.content = typeof content === 'string' ? content : null;
  choice.message = message;
  choice.finish_reason = mapOpenAIFinishReason(choice.finish_reason);
  return choice as unknown as ChatCompletionChoice;
}

/**
 * Passes an OpenAI(-compatible) completion through, preserving unknown fields, with the catalog model
 * id (clients asked the gateway for it) and an id even when the server sent none. `body` is the
 * freshly parsed upstream answer, owned by the caller alone: it becomes the completion in place
 * (fields set in place keep their order, new ones go last, as a spread copy would place them),
 * without copying every object of a completion that is serialized once and dropped.
 */
export function mapOpenAIResponse(body: unknown, target: UpstreamTarget, requestId: string): MappedCompletion {
  const rec = asRecord(body);
  if (!rec || !Array.isArray(rec.choices)) {
    // Some servers answer 200 with an error body.
    const inline = mapOpenAIInlineError(body);
    throw new UpstreamCallError(inline ?? { kind: 'server_error', status: 502, message: 'upstream response is not a chat completion' });
  }
  const usage = normalizeOpenAIUsage(rec.usage);
  const rawUsage = asRecord(rec.usage);
  rec.id = asString(rec.id) || fallbackCompletionId(requestId);
  rec.object = 'chat.completion';
  rec.created = asNumber(rec.created) ?? nowUnixSeconds();
  rec.model = target.model.id;
  const choices = rec.choices as unknown[];
  for (let i = 0; i < choices.length; i++) choices[i] = mapChoice(choices[i], i);
  if (usage && rawUsage) rec.usage = completeOpenAIUsage(rawUsage, usage);
  else delete rec.usage;
  return { completion: rec as unknown as ChatCompletion, usage };
}
