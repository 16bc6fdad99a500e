import type { ChatCompletionChunk } from '../chat-schema.ts';
import type { NormalizedUsage, StreamMapper, UpstreamError, UpstreamTarget } from '../types.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asArray, asNumber, asRecord, asString, parseJson } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.ts';
import { mapOpenAIInlineError } from './map-openai-error.ts';
import { normalizeOpenAIUsage } from './openai-usage.ts';
import { completeOpenAIUsage } from './map-openai-response.ts';

type ChunkChoice = ChatCompletionChunk['choices'][number];

function mapChunkChoice(raw: unknown, position: number): ChunkChoice {
  const choice = asRecord(raw) ?? {};
  return {
    ...choice,
    index: asNumber(choice.index) ?? position,
    delta: asRecord(choice.delta) ?? {},
    finish_reason: mapOpenAIFinishReason(choice.finish_reason),
  };
}

/**
 * Maps an OpenAI(-compatible) stream. The terminal event is `data: [DONE]`; a stream that ends after
 * every started choice sent its finish_reason also counts as complete (some servers skip [DONE]):
 * the answer is whole and only usage may be missing.
 */
export class OpenAIStreamMapper implements StreamMapper {
  private readonly created = nowUnixSeconds();
  private lastUsage: NormalizedUsage | undefined;
  private sawDone = false;
  private readonly seenChoices = new Set<number>();
  private readonly finishedChoices = new Set<number>();

  constructor(
    private readonly target: UpstreamTarget,
    private readonly requestId: string,
  ) {}

  push(event: { event?: string; data: string }): ChatCompletionChunk[] | UpstreamError {
    const data = event.data.trim();
    if (data === '[DONE]') {
      this.sawDone = true;
      return [];
    }
    const parsed = parseJson(data);
    const rec = asRecord(parsed);
    if (!rec) return [];
    if (rec.error !== undefined || rec.object === 'error') {
      return mapOpenAIInlineError(rec) ?? { kind: 'server_error', status: 500, message: 'upstream stream error' };
    }
    return [this.mapChunk(rec)];
  }

  private mapChunk(rec: JsonRecord): ChatCompletionChunk {
    const choices = asArray(rec.choices).map(mapChunkChoice);
    for (const c of choices) {
      this.seenChoices.add(c.index);
      if (c.finish_reason !== null) this.finishedChoices.add(c.index);
    }
    // Groq reports stream usage under x_groq.usage instead of usage.
    const rawUsage = asRecord(rec.usage) ?? asRecord(asRecord(rec.x_groq)?.usage);
    const usage = normalizeOpenAIUsage(rawUsage);
    const chunk: ChatCompletionChunk = {
      ...rec,
      id: asString(rec.id) || fallbackCompletionId(this.requestId),
      object: 'chat.completion.chunk',
      created: asNumber(rec.created) ?? this.created,
      model: this.target.model.id,
      choices,
    };
    if (usage && rawUsage) {
      this.lastUsage = usage;
      if (rec.usage !== undefined) chunk.usage = completeOpenAIUsage(rawUsage, usage);
    }
    return chunk;
  }

  usage(): NormalizedUsage | undefined {
    return this.lastUsage;
  }

  done(): boolean {
    return this.sawDone || (this.seenChoices.size > 0 && this.finishedChoices.size === this.seenChoices.size);
  }
}

export function createOpenAIStreamMapper(target: UpstreamTarget, requestId: string): StreamMapper {
  return new OpenAIStreamMapper(target, requestId);
}
