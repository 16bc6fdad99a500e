import { describe, expect, it } from 'vitest';
import { collectFinishReasons, collectText, collectToolCalls, replaySseFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { createOpenAIStreamMapper } from './openai-stream-mapper.ts';

const target = makeTestTarget('openai', { id: 'fast', upstream_model: 'gpt-4o-mini' });
const replay = (name: string) => replaySseFixture(new URL(`./__fixtures__/${name}`, import.meta.url), () => createOpenAIStreamMapper(target, 'req1'));

describe('OpenAI stream mapper', () => {
  it('passes text chunks through with the catalog model and records the final usage chunk', () => {
    const r = replay('stream-text.chunks.txt');
    expect(r.errors).toEqual([]);
    expect(r.done).toBe(true);
    expect(collectText(r.chunks)).toBe('Héllo wörld 👋');
    expect(r.chunks.every((c) => c.model === 'fast' && c.id === 'chatcmpl-123')).toBe(true);
    expect(r.chunks[0]?.system_fingerprint).toBe('fp_44709d6fcb');
    expect(collectFinishReasons(r.chunks)).toEqual(['stop']);
    const last = r.chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240 });
    expect(r.mapper.usage()).toEqual({
      inputTokens: 1200,
      cachedInputTokens: 1024,
      cacheWriteTokens: 0,
      outputTokens: 40,
      reasoningTokens: 12,
    });
  });

  it('keeps tool call deltas so clients assemble parallel calls', () => {
    const r = replay('stream-tool-calls.chunks.txt');
    expect(collectToolCalls(r.chunks)).toEqual([
      { id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', arguments: '{"location":"Paris"}' },
      { id: 'call_2', name: 'get_time', arguments: '{"tz":"CET"}' },
    ]);
    expect(collectFinishReasons(r.chunks)).toEqual(['tool_calls']);
    expect(r.mapper.usage()?.outputTokens).toBe(34);
    expect(r.done).toBe(true);
  });

  it('returns an UpstreamError for an error object inside the stream (OpenRouter) and skips comments', () => {
    const r = replay('stream-error.chunks.txt');
    expect(collectText(r.chunks)).toBe('Partial');
    expect(r.errors).toEqual([{ kind: 'server_error', status: 502, message: 'Provider disconnected unexpectedly' }]);
    expect(r.done).toBe(false);
  });

  it('reads Groq usage from x_groq on the last chunk', () => {
    const r = replay('stream-groq-usage.chunks.txt');
    expect(r.mapper.usage()).toMatchObject({ inputTokens: 12, outputTokens: 2 });
    expect(r.done).toBe(true);
  });

  it('stays not-done when the stream is cut before [DONE] and the truncated line is ignored', () => {
    const r = replay('stream-cut.chunks.txt');
    expect(collectText(r.chunks)).toBe('The answer is');
    expect(r.errors).toEqual([]);
    expect(r.done).toBe(false);
    expect(r.mapper.usage()).toBeUndefined();
  });

  it('counts a stream as complete once every choice finished even without [DONE]', () => {
    const m = createOpenAIStreamMapper(target, 'req2');
    const out = m.push({ data: '{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}' });
    expect(Array.isArray(out) && out[0]?.id).toBe('chatcmpl-req2');
    expect(m.done()).toBe(false);
    m.push({ data: '{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' });
    expect(m.done()).toBe(true);
  });
});
