import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../providers/chat-schema.ts';
import type { CachedAnswer } from './cached-answer.ts';
import { completionSseEvents } from '../providers/completion-chunks.ts';
import { completionFromCache } from './replay.ts';
import { StreamAssembler } from './stream-assembler.ts';

const longText = 'The quick brown fox jumps over the lazy dog. '.repeat(20); // 900 chars: several chunks
const answer: CachedAnswer = {
  v: 1,
  provider: 'sim',
  model: 'sim-mini',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: longText },
      finish_reason: 'stop',
      logprobs: { content: [{ token: 'The', logprob: -0.01, bytes: [84, 104, 101], top_logprobs: [] }] },
    },
    {
      index: 1,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ q: 'x'.repeat(600) }) } },
          { id: 'call_2', type: 'function', function: { name: 'calc', arguments: '{"a":1}' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: { inputTokens: 30, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 250, reasoningTokens: 10 },
  usage_estimated: false,
  cost_usd: 0.002,
  stored_at_ms: 0,
};
const ident = { id: 'chatcmpl-new', createdS: 1_800_000_000 };

function parseSse(text: string): { chunks: ChatCompletionChunk[]; done: boolean } {
  const events = text
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.replace(/^data: /, ''));
  const done = events.at(-1) === '[DONE]';
  return { chunks: events.filter((e) => e !== '[DONE]').map((e) => JSON.parse(e) as ChatCompletionChunk), done };
}

describe('completionFromCache', () => {
  it('answers with a new id and time, the cached choices, model and usage', () => {
    const c = completionFromCache(answer, ident);
    expect(c).toMatchObject({ id: 'chatcmpl-new', object: 'chat.completion', created: 1_800_000_000, model: 'sim-mini' });
    expect(c.choices[0]).toEqual({ ...answer.choices[0], message: { ...answer.choices[0]?.message, refusal: null } });
    expect(c.choices[1]).toMatchObject({ logprobs: null, message: { content: null, refusal: null } });
    expect(c.choices[1]?.message.tool_calls).toEqual(answer.choices[1]?.message.tool_calls);
    expect(c.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 250, total_tokens: 280 });
    expect(c.usage?.prompt_tokens_details?.cached_tokens).toBe(4);
    expect(c.usage?.completion_tokens_details?.reasoning_tokens).toBe(10);
  });
});

/** What serve-from-cache streams for an OpenAI client: the cached answer through completionSseEvents. */
const sseFromCache = (includeUsage: boolean): string => completionSseEvents(completionFromCache(answer, ident), includeUsage).join('');

describe('a cached answer replayed as SSE', () => {
  it('streams role, content and finish chunks per choice, then usage when asked, then [DONE]', () => {
    const { chunks, done } = parseSse(sseFromCache(true));
    expect(done).toBe(true);
    expect(chunks.every((c) => c.id === 'chatcmpl-new' && c.object === 'chat.completion.chunk' && c.model === 'sim-mini')).toBe(true);
    const first = chunks.filter((c) => c.choices[0]?.index === 0);
    expect(first[0]?.choices[0]?.delta.role).toBe('assistant');
    const pieces = first.map((c) => c.choices[0]?.delta.content ?? '').filter(Boolean);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(longText);
    expect(first.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(250);
  });

  it('sends no usage chunk unless asked', () => {
    const { chunks } = parseSse(sseFromCache(false));
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it('reassembles into exactly the cached choices', () => {
    const assembler = new StreamAssembler();
    for (const chunk of parseSse(sseFromCache(true)).chunks) assembler.push(chunk);
    expect(assembler.choicesIfComplete()).toEqual(answer.choices);
  });
});

describe('StreamAssembler', () => {
  const chunk = (
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null,
    index = 0,
  ): ChatCompletionChunk => ({
    id: 'x',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index, delta, finish_reason: finish }],
  });

  it('has nothing to store until every choice finished', () => {
    const a = new StreamAssembler();
    expect(a.choicesIfComplete()).toBeUndefined();
    a.push(chunk({ role: 'assistant', content: 'Hel' }));
    a.push(chunk({ content: 'Bye' }, null, 1));
    a.push(chunk({ content: 'lo' }));
    a.push(chunk({}, 'stop'));
    expect(a.choicesIfComplete()).toBeUndefined(); // choice 1 never finished
    a.push(chunk({}, 'length', 1));
    expect(a.choicesIfComplete()?.map((c) => [c.message.content, c.finish_reason])).toEqual([
      ['Hello', 'stop'],
      ['Bye', 'length'],
    ]);
  });

  it('refuses a filtered answer', () => {
    const a = new StreamAssembler();
    a.push(chunk({ content: 'partial' }));
    a.push(chunk({}, 'content_filter'));
    expect(a.choicesIfComplete()).toBeUndefined();
  });
});
