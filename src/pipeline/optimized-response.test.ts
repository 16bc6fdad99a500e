import { describe, expect, it } from 'vitest';
import { completionSseEvents } from '../providers/completion-chunks.ts';
import { clientFinishReason, optimizedCompletion, type OptimizedReply } from './optimized-response.ts';

const reply: OptimizedReply = {
  id: 'chatcmpl-r1',
  created: 1_700_000_000,
  model: 'sim-mini',
  answer: 'The answer is 51 because 17 times 3 is 51. Final answer: 51',
  finishReason: 'stop',
  usage: { inputTokens: 120, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 90, reasoningTokens: 30 },
};

function parseEvents(events: string[]): unknown[] {
  return events.map((e) => {
    expect(e.startsWith('data: ') && e.endsWith('\n\n')).toBe(true);
    const data = e.slice(6, -2);
    return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
  });
}

describe('optimized answers', () => {
  it('is a chat.completion with the summed usage in OpenAI shape', () => {
    expect(optimizedCompletion(reply)).toEqual({
      id: 'chatcmpl-r1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'sim-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: reply.answer }, finish_reason: 'stop', logprobs: null }],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 90,
        total_tokens: 210,
        prompt_tokens_details: { cached_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 30 },
      },
    });
  });

  it('maps a technique-specific finish reason to stop', () => {
    expect(clientFinishReason('length')).toBe('length');
    expect(clientFinishReason('majority')).toBe('stop');
  });

  it('streams role, content, finish, usage (when asked) and [DONE]', () => {
    const events = parseEvents(completionSseEvents(optimizedCompletion(reply), true)) as Array<Record<string, unknown> | string>;
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1) as Array<{
      object: string;
      id: string;
      choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }>;
      usage?: unknown;
    }>;
    for (const c of chunks) expect(c).toMatchObject({ object: 'chat.completion.chunk', id: 'chatcmpl-r1', model: 'sim-mini' });
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(reply.answer);
    const finish = chunks.at(-2);
    expect(finish?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 120, completion_tokens: 90, total_tokens: 210 } });
    expect(chunks.filter((c) => c.usage !== undefined)).toHaveLength(1);
  });

  it('sends no usage chunk unless asked', () => {
    const events = parseEvents(completionSseEvents(optimizedCompletion(reply), false)) as Array<Record<string, unknown> | string>;
    expect(events.filter((e) => typeof e === 'object' && 'usage' in e)).toEqual([]);
    expect(events.at(-2)).toMatchObject({ choices: [{ finish_reason: 'stop' }] });
  });

  it('sends n choices, each whole: in one completion, and streamed one index after another', () => {
    const multi: OptimizedReply = { ...reply, answer: 'Final answer: 51', alternatives: [{ answer: 'Final answer: 52', finishReason: 'length' }] };
    expect(optimizedCompletion(multi).choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'Final answer: 51', 'stop'],
      [1, 'Final answer: 52', 'length'],
    ]);
    const events = parseEvents(completionSseEvents(optimizedCompletion(multi), false)) as Array<
      { choices: Array<{ index: number; delta: { content?: string }; finish_reason: string | null }> } | string
    >;
    const byIndex = new Map<number, string>();
    const finishes: Array<[number, string]> = [];
    for (const e of events) {
      if (typeof e === 'string') continue;
      for (const c of e.choices) {
        byIndex.set(c.index, (byIndex.get(c.index) ?? '') + (c.delta.content ?? ''));
        if (c.finish_reason) finishes.push([c.index, c.finish_reason]);
      }
    }
    expect([...byIndex]).toEqual([
      [0, 'Final answer: 51'],
      [1, 'Final answer: 52'],
    ]);
    expect(finishes).toEqual([
      [0, 'stop'],
      [1, 'length'],
    ]);
    expect(events.at(-1)).toBe('[DONE]');
  });
});
