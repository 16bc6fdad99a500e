import type { ChatCompletionChunk } from '../chat-schema.ts';
import { toOpenAIUsage } from '../types.ts';
import type { NormalizedUsage, StreamMapper, UpstreamError, UpstreamTarget } from '../types.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asArray, asRecord, asString, parseJson } from '../shared/wire-json.ts';
import { normalizeGeminiUsage } from './gemini-usage.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { mapGeminiInlineError } from './map-gemini-error.ts';
import { promptBlockReason, readGeminiCandidate } from './read-gemini-candidate.ts';

type ChunkChoice = ChatCompletionChunk['choices'][number];
type Delta = ChunkChoice['delta'] & { reasoning_content?: string };

interface CandidateState {
  toolCount: number;
  finished: boolean;
}

/**
 * Gemini `streamGenerateContent?alt=sse` → OpenAI chunks. Every event is a whole
 * GenerateContentResponse and there is no terminal sentinel: the stream is complete once every
 * candidate has sent its finishReason (or the prompt was blocked). Function calls arrive whole, so
 * each becomes one complete tool_call delta. A final `choices: []` chunk carries the usage.
 */
export class GeminiStreamMapper implements StreamMapper {
  private readonly created = nowUnixSeconds();
  private id: string;
  private lastUsage: NormalizedUsage | undefined;
  private readonly candidates = new Map<number, CandidateState>();
  private promptBlocked = false;
  private emittedUsage = false;

  constructor(
    private readonly target: UpstreamTarget,
    private readonly requestId: string,
  ) {
    this.id = fallbackCompletionId(requestId);
  }

  push(event: { event?: string; data: string }): ChatCompletionChunk[] | UpstreamError {
    const parsed = parseJson(event.data);
    const rec = asRecord(parsed) ?? asRecord(Array.isArray(parsed) ? parsed[0] : undefined);
    if (!rec) return [];
    if (rec.error !== undefined) {
      return mapGeminiInlineError(rec) ?? { kind: 'server_error', status: 500, message: 'upstream stream error' };
    }
    const responseId = asString(rec.responseId);
    if (responseId && this.candidates.size === 0) this.id = responseId;
    this.lastUsage = normalizeGeminiUsage(rec.usageMetadata) ?? this.lastUsage;
    const choices = asArray(rec.candidates).flatMap((raw, position) => this.mapCandidate(raw, position));
    if (choices.length === 0 && this.candidates.size === 0 && promptBlockReason(rec) !== undefined) {
      this.promptBlocked = true;
      choices.push({ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'content_filter', logprobs: null });
    }
    const out: ChatCompletionChunk[] = choices.length > 0 ? [this.chunk(choices)] : [];
    if (this.done() && !this.emittedUsage && this.lastUsage) {
      this.emittedUsage = true;
      out.push({ ...this.chunk([]), usage: toOpenAIUsage(this.lastUsage) });
    }
    return out;
  }

  private chunk(choices: ChunkChoice[]): ChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.target.model.id, choices };
  }

  private mapCandidate(raw: unknown, position: number): ChunkChoice[] {
    const index = asRecord(raw)?.index;
    const key = typeof index === 'number' ? index : position;
    let state = this.candidates.get(key);
    const isFirst = state === undefined;
    state ??= { toolCount: 0, finished: false };
    this.candidates.set(key, state);
    const c = readGeminiCandidate(raw, position, this.requestId, state.toolCount);
    const delta: Delta = {};
    if (isFirst) delta.role = 'assistant';
    if (c.text !== '' || isFirst) delta.content = c.text;
    if (c.reasoning !== '') delta.reasoning_content = c.reasoning;
    if (c.toolCalls.length > 0) {
      delta.tool_calls = c.toolCalls.map((call, i) => ({ index: state.toolCount + i, ...call }));
      state.toolCount += c.toolCalls.length;
    }
    const finish = mapGeminiFinishReason(c.finishReason, state.toolCount > 0);
    if (finish !== null) state.finished = true;
    const hasDelta = Object.keys(delta).length > 0;
    if (!hasDelta && finish === null) return [];
    const choice: ChunkChoice = { index: c.index, delta, finish_reason: finish, logprobs: null };
    return [choice];
  }

  usage(): NormalizedUsage | undefined {
    return this.lastUsage;
  }

  done(): boolean {
    if (this.promptBlocked) return true;
    if (this.candidates.size === 0) return false;
    for (const s of this.candidates.values()) if (!s.finished) return false;
    return true;
  }
}

export function createGeminiStreamMapper(target: UpstreamTarget, requestId: string): StreamMapper {
  return new GeminiStreamMapper(target, requestId);
}
