import { describe, expect, it } from 'vitest';
import { collectFinishReasons, collectText, collectToolCalls, replaySseFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { createGeminiStreamMapper } from './gemini-stream-mapper.ts';

const target = makeTestTarget('gemini', { id: 'flash' });
const replay = (name: string) => replaySseFixture(new URL(`./__fixtures__/${name}`, import.meta.url), () => createGeminiStreamMapper(target, 'req1'));

describe('Gemini stream mapper', () => {
  it('maps text chunks, finishes on the finishReason chunk and emits usage with thoughts as output', () => {
    const r = replay('stream-text.chunks.txt');
    expect(r.errors).toEqual([]);
    expect(r.done).toBe(true);
    expect(r.chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: 'Héllo' });
    expect(collectText(r.chunks)).toBe('Héllo wörld 👋');
    expect(collectFinishReasons(r.chunks)).toEqual(['stop']);
    expect(r.chunks.every((c) => c.id === 'stream-resp-1' && c.model === 'flash')).toBe(true);
    expect(r.chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 9, completion_tokens: 26 } });
    expect(r.mapper.usage()).toEqual({ inputTokens: 9, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 26, reasoningTokens: 20 });
  });

  it('emits each whole function call as one tool_call delta and finishes with tool_calls', () => {
    const r = replay('stream-function-call.chunks.txt');
    expect(collectText(r.chunks)).toBe('Checking the weather.');
    expect(collectToolCalls(r.chunks)).toEqual([
      { id: 'call_req1_0_0', name: 'get_current_temperature', arguments: '{"location":"London"}' },
      { id: 'call_req1_0_1', name: 'get_time', arguments: '{"tz":"Europe/London"}' },
    ]);
    expect(collectFinishReasons(r.chunks)).toEqual(['tool_calls']);
    expect(r.done).toBe(true);
  });

  it('maps a SAFETY stop mid-stream to content_filter', () => {
    const r = replay('stream-safety.chunks.txt');
    expect(collectText(r.chunks)).toBe('Here is how');
    expect(collectFinishReasons(r.chunks)).toEqual(['content_filter']);
    expect(r.done).toBe(true);
  });

  it('returns an UpstreamError for an error object in the stream', () => {
    const r = replay('stream-error.chunks.txt');
    expect(collectText(r.chunks)).toBe('Partial');
    expect(r.errors).toEqual([{ kind: 'overloaded', status: 503, message: 'The model is overloaded. Please try again later.', providerCode: 'UNAVAILABLE' }]);
    expect(r.done).toBe(false);
  });

  it('is not done when the stream is cut before any finishReason', () => {
    const r = replay('stream-cut.chunks.txt');
    expect(collectText(r.chunks)).toBe('The answer is');
    expect(r.done).toBe(false);
    expect(r.mapper.usage()?.inputTokens).toBe(5);
  });

  it('waits for every candidate to finish and ends a blocked prompt at once', () => {
    const m = createGeminiStreamMapper(target, 'r');
    m.push({
      data: JSON.stringify({
        candidates: [
          { index: 0, content: { parts: [{ text: 'a' }] }, finishReason: 'STOP' },
          { index: 1, content: { parts: [{ text: 'b' }] } },
        ],
      }),
    });
    expect(m.done()).toBe(false);
    m.push({ data: JSON.stringify({ candidates: [{ index: 1, content: { parts: [{ text: 'c' }] }, finishReason: 'STOP' }] }) });
    expect(m.done()).toBe(true);
    const blocked = createGeminiStreamMapper(target, 'r');
    const out = blocked.push({ data: JSON.stringify({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4 } }) });
    expect(Array.isArray(out) && out.map((c) => c.choices[0]?.finish_reason ?? 'usage')).toEqual(['content_filter', 'usage']);
    expect(blocked.done()).toBe(true);
  });
});
