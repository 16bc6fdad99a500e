import type { ChatCompletion, ChatCompletionChoice, OpenAIUsage } from '../chat-schema.ts';
import type { MappedCompletion, NormalizedUsage, UpstreamTarget } from '../types.ts';
import { UpstreamCallError } from '../upstream-client.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asArray, asNumber, asRecord, asString } from '../shared/wire-json.ts';
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

function mapChoice(raw: unknown, position: number): ChatCompletionChoice {
  const choice = asRecord(raw) ?? {};
  const message = asRecord(choice.message) ?? {};
  const content = message.content;
  return {
    ...choice,
    index: asNumber(choice.index) ?? position,
    message: {
      ...message,
      role: 'assistant',
      content: typeof content === 'string' ? content : null,
    },
    finish_reason: mapOpenAIFinishReason(choice.finish_reason),
  };
}

/**
 * Passes an OpenAI(-compatible) completion through, preserving unknown fields, with the catalog model
 * id (clients asked the gateway for it) and an id even when the server sent none.
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
  const completion: ChatCompletion = {
    ...rec,
    id: asString(rec.id) || fallbackCompletionId(requestId),
    object: 'chat.completion',
    created: asNumber(rec.created) ?? nowUnixSeconds(),
    model: target.model.id,
    choices: asArray(rec.choices).map(mapChoice),
  };
  if (usage && rawUsage) completion.usage = completeOpenAIUsage(rawUsage, usage);
  else delete completion.usage;
  return { completion, usage };
}
