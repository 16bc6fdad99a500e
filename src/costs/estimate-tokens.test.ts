import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { functionCallingTestCases } from 'gpt-tokenizer/fixtures/functionCallingTestCases';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolChoice, ToolDefinition } from '../providers/chat-schema.ts';
import { EXACT_CHAR_LIMIT, cachedPromptTextCount, countMessageTokens, countTextTokens, countTextTokensExact, countToolTokens } from './estimate-tokens.ts';

function prose(chars: number): string {
  const words = 'the gateway routes each request to the cheapest model that answers it well while budgets stop spending'.split(' ');
  let s = '';
  for (let i = 0; s.length < chars; i++) s += words[(i * 7 + (i >> 3)) % words.length] + (i % 17 === 16 ? '.\n' : ' ');
  return s.slice(0, chars);
}

function code(chars: number): string {
  let s = '';
  for (let i = 0; s.length < chars; i++) s += `function f${i}(x: number): number {\n  return x * ${i} + ${(i * 31) % 97};\n}\n`;
  return s.slice(0, chars);
}

describe('countTextTokens', () => {
  it('counts exactly with o200k_base below the exact limit', () => {
    expect(countTextTokens('')).toBe(0);
    expect(countTextTokens('hello world')).toBe(2);
    const text = prose(5_000);
    expect(countTextTokens(text)).toBe(encode(text).length);
  });

  it('counts special-token markers in user text instead of throwing', () => {
    expect(countTextTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('estimates long prose and code within 3% by sampling', () => {
    for (const text of [prose(200_000), code(200_000), prose(EXACT_CHAR_LIMIT + 1)]) {
      const exact = countTextTokensExact(text);
      const estimate = countTextTokens(text);
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.03);
    }
  });

  it('stays within 3% of the exact count on a 20k-token prompt', () => {
    // Its speed (≈0.5 ms against ≈6 ms for exact BPE here) is why it exists; speed is measured in
    // the benchmarks, not asserted in a unit test.
    const text = prose(90_000);
    const exact = countTextTokensExact(text);
    expect(exact).toBeGreaterThan(15_000);
    expect(Math.abs(countTextTokens(text) - exact) / exact).toBeLessThan(0.03);
  });
});

interface FixtureCase {
  messages: ChatMessage[];
  functions?: ToolDefinition['function'][];
  function_call?: 'auto' | 'none' | { name: string };
  tokens: number;
}

function toolChoiceOf(fc: FixtureCase['function_call']): ToolChoice | undefined {
  if (fc === undefined || typeof fc === 'string') return fc;
  return { type: 'function', function: { name: fc.name } };
}

describe('countMessageTokens', () => {
  it('adds 3 per message, the role, 1 per name and 3 for the reply priming', () => {
    expect(countMessageTokens([{ role: 'user', content: 'hello' }])).toBe(3 + 1 + 1 + 3);
    expect(countMessageTokens([{ role: 'user', content: 'hello', name: 'bob' }])).toBe(3 + 1 + 1 + 1 + 1 + 3);
  });

  it('matches the token counts OpenAI reported for gpt-4o on the known cases (messages, tools, tool choice)', () => {
    const cases = functionCallingTestCases as unknown as FixtureCase[];
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const tools = c.functions?.map((f): ToolDefinition => ({ type: 'function', function: f }));
      expect(countMessageTokens(c.messages, tools, toolChoiceOf(c.function_call))).toBe(c.tokens);
    }
  });

  it('counts a prompt text it has seen as before, also after more than the cache holds', () => {
    const texts = Array.from({ length: 10_300 }, (_, i) => `text ${i} `.repeat(1 + (i % 7)));
    const first = texts.map((t) => countMessageTokens([{ role: 'user', content: t }]));
    expect(first).toEqual(texts.map((t) => 3 + 1 + countTextTokensExact(t) + 3));
    // 10,300 texts overflow the cache's 10,000 counts: it stays bounded, and recounting is exact.
    expect(cachedPromptTextCount()).toBe(10_000);
    expect(texts.map((t) => countMessageTokens([{ role: 'user', content: `${t}` }]))).toEqual(first);
    const long = 'word '.repeat(3_000);
    expect(
      countMessageTokens([
        { role: 'system', content: long },
        { role: 'user', content: [{ type: 'text', text: long }] },
      ]),
    ).toBe(2 * (3 + 1 + countTextTokensExact(long)) + 3);
    expect(cachedPromptTextCount()).toBe(10_000);
  });

  it('counts text content parts, images and tool call arguments', () => {
    const parts: ChatMessage = {
      role: 'user',
      content: [
        { type: 'text', text: 'describe this' },
        { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'https://x/z.png' } },
      ],
    };
    expect(countMessageTokens([parts])).toBe(3 + 1 + countTextTokens('describe this') + 85 + 765 + 3);

    const args = JSON.stringify({ city: 'Paris', unit: 'celsius', days: 3 });
    const call: ChatMessage = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: args } }],
    };
    const base = countMessageTokens([{ role: 'assistant', content: null }]);
    expect(countMessageTokens([call])).toBe(base + countTextTokens('get_weather') + countTextTokens(args) + 3);
  });

  it('charges tool definitions once and grows with their schema', () => {
    const small: ToolDefinition = { type: 'function', function: { name: 'ping' } };
    const big: ToolDefinition = {
      type: 'function',
      function: {
        name: 'search',
        description: 'Search the catalog.',
        parameters: {
          type: 'object',
          properties: {
            query: { type: 'string', description: 'What to look for' },
            filters: { type: 'object', properties: { color: { type: 'string', enum: ['red', 'blue'] } } },
          },
          required: ['query'],
        },
      },
    };
    const messages: ChatMessage[] = [{ role: 'user', content: 'hi' }];
    expect(countMessageTokens(messages, [small])).toBe(countMessageTokens(messages) + countToolTokens([small]));
    expect(countToolTokens([big])).toBeGreaterThan(countToolTokens([small]) + 15);
    expect(countToolTokens([])).toBe(0);
  });

  it('survives a malformed tool schema', () => {
    const broken = { type: 'function', function: { name: 'x', parameters: { properties: { a: null } } } } as unknown as ToolDefinition;
    expect(countToolTokens([broken])).toBeGreaterThan(0);
  });
});
