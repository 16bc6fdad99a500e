import { describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk } from '../../providers/chat-schema.ts';
import { SseParser } from '../../providers/sse.ts';
import { anthropicErrorBody } from './anthropic-error.ts';
import { chatToMessage } from './chat-to-message.ts';
import { createMessageStreamWriter } from './message-stream-writer.ts';
import { MessagesRequest } from './messages-schema.ts';
import { messagesToChat } from './messages-to-chat.ts';

const usage = { inputTokens: 120, cachedInputTokens: 100, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 0 };

describe('Anthropic Messages request → chat request', () => {
  it('translates system, text, images, tool use and tool results in order', () => {
    const req = MessagesRequest.parse({
      model: 'auto',
      max_tokens: 512,
      system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
      stop_sequences: ['END'],
      temperature: 0.3,
      top_k: 40,
      metadata: { user_id: 'u-1' },
      tools: [{ name: 'get_weather', description: 'Weather in a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris? ' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hm', signature: 's' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }] },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
    const chat = messagesToChat(req);
    expect(chat).toMatchObject({
      model: 'auto',
      max_tokens: 512,
      stop: ['END'],
      temperature: 0.3,
      user: 'u-1',
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(chat).not.toHaveProperty('top_k');
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ]);
    expect(chat.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris? ' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it('maps each tool_choice and refuses what it cannot carry', () => {
    const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 't', input_schema: { type: 'object' } }] };
    expect(messagesToChat(MessagesRequest.parse({ ...base, tool_choice: { type: 'tool', name: 't' } })).tool_choice).toEqual({
      type: 'function',
      function: { name: 't' },
    });
    expect(messagesToChat(MessagesRequest.parse({ ...base, tool_choice: { type: 'none' } })).tool_choice).toBe('none');
    expect(MessagesRequest.safeParse({ ...base, max_tokens: undefined }).success).toBe(false);
    expect(MessagesRequest.safeParse({ ...base, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] }).success).toBe(false);
  });
});

describe('chat completion → Anthropic Message', () => {
  it('puts text and tool calls in content blocks, stop reason and usage in Anthropic’s terms', () => {
    const completion: ChatCompletion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'sim-mini',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Let me check.',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ],
    };
    expect(chatToMessage(completion, usage, 'a1-b2')).toEqual({
      id: 'msg_a1b2',
      type: 'message',
      role: 'assistant',
      model: 'sim-mini',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 20, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });
});

function chunk(delta: ChatCompletionChunk['choices'][0]['delta'], finish: ChatCompletionChunk['choices'][0]['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'sim-mini', choices: [{ index: 0, delta, finish_reason: finish }] };
}

function events(sse: string): Array<{ event?: string; data: Record<string, unknown> }> {
  return new SseParser().push(Buffer.from(sse)).map((e) => ({ event: e.event, data: JSON.parse(e.data) as Record<string, unknown> }));
}

describe('the Anthropic stream writer', () => {
  it('emits Anthropic’s event sequence: blocks for text and each tool call, then message_delta and message_stop', () => {
    const w = createMessageStreamWriter({ requestId: 'r1', model: 'sim-mini', estimatedInputTokens: 118 });
    let sse = w.chunk(chunk({ role: 'assistant', content: '' }));
    sse += w.chunk(chunk({ content: 'Hi ' }));
    sse += w.chunk(chunk({ content: 'there.' }));
    sse += w.chunk(chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } }] }));
    sse += w.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }));
    sse += w.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }));
    sse += w.chunk(chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } }] }));
    sse += w.chunk(chunk({}, 'tool_calls'));
    sse += w.end(usage, 0.0001);
    const got = events(sse);
    expect(got.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(got.every((e) => e.data.type === e.event)).toBe(true);
    expect(got[0]!.data.message).toMatchObject({ id: 'msg_r1', model: 'sim-mini', usage: { input_tokens: 118, output_tokens: 0 } });
    expect(got[6]!.data).toEqual({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_a', name: 'f', input: {} } });
    expect(got[8]!.data).toEqual({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } });
    expect(got[13]!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });

  it('ends a failed stream with Anthropic’s error event', () => {
    const w = createMessageStreamWriter({ requestId: 'r2', model: 'm', estimatedInputTokens: 5 });
    const got = events(w.chunk(chunk({ content: 'Hal' })) + w.fail('stream_cut', 'upstream closed'));
    expect(got.at(-1)).toMatchObject({ event: 'error', data: { type: 'error', error: { type: 'api_error' } } });
  });

  it('maps statuses to Anthropic error types, keeping the gateway’s code', () => {
    expect(anthropicErrorBody(429, 'Budget exceeded.', 'budget_exceeded', 'r')).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Budget exceeded. [budget_exceeded]' },
      request_id: 'r',
    });
    expect(anthropicErrorBody(404, 'No such model.', null, 'r').error.type).toBe('not_found_error');
    expect(anthropicErrorBody(503, 'x', null, 'r').error.type).toBe('overloaded_error');
  });
});
