import type { ChatCompletionChunk, FinishReason } from '../chat-schema.ts';
import { toOpenAIUsage } from '../types.ts';
import type { NormalizedUsage, StreamMapper, UpstreamError, UpstreamTarget } from '../types.ts';
import { fallbackCompletionId, nowUnixSeconds } from '../shared/target.ts';
import { asNumber, asRecord, asString, parseJson } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';
import { mergeAnthropicUsage, normalizeAnthropicUsage } from './anthropic-usage.ts';
import { JSON_RESPONSE_TOOL_NAME } from './convert-to-anthropic-tools.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicStreamError } from './map-anthropic-error.ts';

type Delta = ChatCompletionChunk['choices'][number]['delta'] & { reasoning_content?: string };

type BlockRole = { kind: 'tool'; toolIndex: number } | { kind: 'json' } | { kind: 'other' };

/**
 * Anthropic Messages SSE → OpenAI chunks. Content blocks are indexed across text and tool_use, while
 * OpenAI numbers tool calls on their own, so each tool_use block gets the next tool index. After
 * message_stop a final `choices: []` chunk carries the usage, like OpenAI with include_usage.
 */
export class AnthropicStreamMapper implements StreamMapper {
  private readonly created = nowUnixSeconds();
  private id: string;
  private rawUsage: Record<string, unknown> | undefined;
  private readonly blocks = new Map<number, BlockRole>();
  private toolCount = 0;
  private usedJsonTool = false;
  private finished = false;

  constructor(
    private readonly target: UpstreamTarget,
    requestId: string,
  ) {
    this.id = fallbackCompletionId(requestId);
  }

  push(event: { event?: string; data: string }): ChatCompletionChunk[] | UpstreamError {
    const rec = asRecord(parseJson(event.data));
    if (!rec) return [];
    switch (rec.type ?? event.event) {
      case 'message_start':
        return this.onMessageStart(asRecord(rec.message) ?? {});
      case 'content_block_start':
        return this.onBlockStart(asNumber(rec.index) ?? 0, asRecord(rec.content_block) ?? {});
      case 'content_block_delta':
        return this.onBlockDelta(asNumber(rec.index) ?? 0, asRecord(rec.delta) ?? {});
      case 'message_delta':
        return this.onMessageDelta(asRecord(rec.delta) ?? {}, rec.usage);
      case 'message_stop':
        return this.onMessageStop();
      case 'error':
        return mapAnthropicStreamError(rec);
      default:
        // ping, content_block_stop and event types added later carry nothing to forward.
        return [];
    }
  }

  private chunk(delta: Delta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.target.model.id,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    };
  }

  private onMessageStart(message: JsonRecord): ChatCompletionChunk[] {
    this.id = asString(message.id) || this.id;
    this.rawUsage = mergeAnthropicUsage(this.rawUsage, message.usage);
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private onBlockStart(index: number, block: JsonRecord): ChatCompletionChunk[] {
    if (block.type === 'tool_use' && block.name === JSON_RESPONSE_TOOL_NAME) {
      this.blocks.set(index, { kind: 'json' });
      this.usedJsonTool = true;
      return [];
    }
    if (block.type === 'tool_use') {
      const toolIndex = this.toolCount++;
      this.blocks.set(index, { kind: 'tool', toolIndex });
      const id = asString(block.id) ?? `call_${toolIndex}`;
      const name = asString(block.name) ?? '';
      return [this.chunk({ tool_calls: [{ index: toolIndex, id, type: 'function', function: { name, arguments: '' } }] })];
    }
    this.blocks.set(index, { kind: 'other' });
    const text = block.type === 'text' ? asString(block.text) : undefined;
    return text ? [this.chunk({ content: text })] : [];
  }

  private onBlockDelta(index: number, delta: JsonRecord): ChatCompletionChunk[] {
    const role = this.blocks.get(index);
    switch (delta.type) {
      case 'text_delta': {
        const text = asString(delta.text);
        return text ? [this.chunk({ content: text })] : [];
      }
      case 'thinking_delta': {
        const thinking = asString(delta.thinking);
        return thinking ? [this.chunk({ reasoning_content: thinking })] : [];
      }
      case 'input_json_delta': {
        const partial = asString(delta.partial_json);
        if (!partial) return [];
        if (role?.kind === 'json') return [this.chunk({ content: partial })];
        if (role?.kind === 'tool') {
          return [this.chunk({ tool_calls: [{ index: role.toolIndex, function: { arguments: partial } }] })];
        }
        return [];
      }
      default:
        // signature_delta and citations_delta have no OpenAI counterpart.
        return [];
    }
  }

  private onMessageDelta(delta: JsonRecord, usage: unknown): ChatCompletionChunk[] {
    this.rawUsage = mergeAnthropicUsage(this.rawUsage, usage);
    const mapped = mapAnthropicFinishReason(delta.stop_reason);
    if (mapped === null) return [];
    const finish = this.usedJsonTool && mapped === 'tool_calls' ? 'stop' : mapped;
    return [this.chunk({}, finish)];
  }

  private onMessageStop(): ChatCompletionChunk[] {
    this.finished = true;
    const usage = this.usage();
    if (!usage) return [];
    return [{ id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.target.model.id, choices: [], usage: toOpenAIUsage(usage) }];
  }

  usage(): NormalizedUsage | undefined {
    return normalizeAnthropicUsage(this.rawUsage);
  }

  done(): boolean {
    return this.finished;
  }
}

export function createAnthropicStreamMapper(target: UpstreamTarget, requestId: string): StreamMapper {
  return new AnthropicStreamMapper(target, requestId);
}
