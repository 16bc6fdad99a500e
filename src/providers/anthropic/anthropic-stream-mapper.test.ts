import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../chat-schema.ts';
import { collectFinishReasons, collectText, collectToolCalls, replaySseFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { createAnthropicStreamMapper } from './anthropic-stream-mapper.ts';

const target = makeTestTarget('anthropic', { id: 'claude' });
const replay = (name: string) => replaySseFixture(new URL(`./__fixtures__/${name}`, import.meta.url), () => createAnthropicStreamMapper(target, 'req1'));

function reasoningOf(chunks: ChatCompletionChunk[]): string {
  return chunks
    .flatMap((c) => c.choices)
    .map((ch) => (ch.delta as { reasoning_content?: string }).reasoning_content ?? '')
    .join('');
}

describe('Anthropic stream mapper', () => {
  it('maps text deltas, stop reason and cache-aware usage, ending with a usage chunk', () => {
    const r = replay('stream-text.chunks.txt');
    expect(r.errors).toEqual([]);
    expect(r.done).toBe(true);
    expect(r.chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(collectText(r.chunks)).toBe('Héllo wörld 👋');
    expect(collectFinishReasons(r.chunks)).toEqual(['stop']);
    expect(r.chunks.every((c) => c.id === 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY' && c.model === 'claude')).toBe(true);
    expect(r.chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 2073, completion_tokens: 15 } });
    expect(r.mapper.usage()).toEqual({ inputTokens: 2073, cachedInputTokens: 2048, cacheWriteTokens: 0, outputTokens: 15, reasoningTokens: 0 });
  });

  it('numbers tool calls on their own and streams their arguments', () => {
    const r = replay('stream-tool-use.chunks.txt');
    expect(collectText(r.chunks)).toBe("Okay, let's check the weather for San Francisco, CA:");
    expect(collectToolCalls(r.chunks)).toEqual([
      { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' },
      { id: 'toolu_02Time', name: 'get_time', arguments: '{"tz": "PST"}' },
    ]);
    expect(collectFinishReasons(r.chunks)).toEqual(['tool_calls']);
    expect(r.mapper.usage()).toMatchObject({ inputTokens: 472, outputTokens: 89 });
    expect(r.done).toBe(true);
  });

  it('streams thinking as reasoning_content, never as content', () => {
    const r = replay('stream-thinking.chunks.txt');
    expect(reasoningOf(r.chunks)).toBe('Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3');
    expect(collectText(r.chunks)).toBe('27 * 453 = 12,231');
    expect(collectFinishReasons(r.chunks)).toEqual(['length']);
    expect(r.mapper.usage()).toMatchObject({ inputTokens: 510, cacheWriteTokens: 500, outputTokens: 120 });
  });

  it('returns an overloaded UpstreamError for an error event mid-stream', () => {
    const r = replay('stream-error.chunks.txt');
    expect(collectText(r.chunks)).toBe('Once upon');
    expect(r.errors).toEqual([{ kind: 'overloaded', status: 529, message: 'Overloaded', providerCode: 'overloaded_error' }]);
    expect(r.done).toBe(false);
  });

  it('is not done when the stream ends before message_stop, even after message_delta', () => {
    const r = replay('stream-cut.chunks.txt');
    expect(collectFinishReasons(r.chunks)).toEqual(['stop']);
    expect(r.done).toBe(false);
    expect(r.mapper.usage()?.outputTokens).toBe(3);
  });

  it('streams the JSON response tool as content and finishes with stop', () => {
    const m = createAnthropicStreamMapper(target, 'req1');
    const events = [
      { type: 'message_start', message: { id: 'msg_j', usage: { input_tokens: 5, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'aigw_json_response', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}' } },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 4 } },
      { type: 'message_stop' },
    ];
    const chunks = events.flatMap((e) => {
      const out = m.push({ data: JSON.stringify(e) });
      return Array.isArray(out) ? out : [];
    });
    expect(collectText(chunks)).toBe('{"a":1}');
    expect(collectToolCalls(chunks)).toEqual([]);
    expect(collectFinishReasons(chunks)).toEqual(['stop']);
  });
});
