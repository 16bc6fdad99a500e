import { describe, expect, it } from 'vitest';
import { ChatRequest } from '../chat-schema.ts';
import { loadJsonFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';

const fixture = (name: string): unknown => loadJsonFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const target = makeTestTarget('anthropic', { id: 'claude', upstream_model: 'claude-sonnet-4-5-20250929', max_output_tokens: 8192 });
const body = (req: unknown, stream = false): Record<string, unknown> =>
  JSON.parse(convertToAnthropicRequest(ChatRequest.parse(req), target, { stream }).body) as Record<string, unknown>;

describe('convertToAnthropicRequest', () => {
  it('maps system, images, tool calls, tool results, tools and sampling to the Messages API body', () => {
    expect(body(fixture('chat-request-tools-images.json'), true)).toEqual(fixture('messages-request-tools-images.json'));
  });

  it('sends x-api-key and anthropic-version to /v1/messages, also when base_url ends in /v1', () => {
    const req = ChatRequest.parse({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    const out = convertToAnthropicRequest(req, target, { stream: false });
    expect(out.path).toBe('/v1/messages');
    expect(out.headers).toMatchObject({ 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' });
    const v1 = makeTestTarget('anthropic', {}, { base_url: 'https://api.anthropic.com/v1' });
    expect(convertToAnthropicRequest(req, v1, { stream: false }).path).toBe('/messages');
  });

  it('sends top_p only when no temperature is given', () => {
    expect(body({ model: 'x', messages: [{ role: 'user', content: 'hi' }], top_p: 0.5 }).top_p).toBe(0.5);
  });

  it('prefers max_completion_tokens, then max_tokens, then the model limit', () => {
    const msgs = [{ role: 'user', content: 'hi' }];
    expect(body({ model: 'x', messages: msgs }).max_tokens).toBe(8192);
    expect(body({ model: 'x', messages: msgs, max_tokens: 100 }).max_tokens).toBe(100);
    expect(body({ model: 'x', messages: msgs, max_tokens: 100, max_completion_tokens: 50 }).max_tokens).toBe(50);
  });

  it('answers json_schema through a forced tool when the client sent no tools', () => {
    const out = body({
      model: 'x',
      messages: [{ role: 'user', content: 'Paris facts' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { city: { type: 'string' } } } } },
    });
    expect(out.tools).toEqual([
      expect.objectContaining({ name: 'aigw_json_response', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }),
    ]);
    expect(out.tool_choice).toEqual({ type: 'tool', name: 'aigw_json_response' });
    expect(out.system).toBeUndefined();
  });

  it('asks for JSON in the system prompt for json_object, and for json_schema alongside client tools', () => {
    const out = body({ model: 'x', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } });
    expect(out.system).toEqual([{ type: 'text', text: expect.stringContaining('valid JSON object') }]);
    const withTools = body({
      model: 'x',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
      response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'object' } } },
    });
    expect(withTools.tools).toEqual([{ name: 'f', input_schema: { type: 'object', properties: {} } }]);
    expect(withTools.system).toEqual([{ type: 'text', text: expect.stringContaining('{"type":"object"}') }]);
  });

  it('maps tool_choice variants and keeps tools defined for tool_choice none', () => {
    const base = { model: 'x', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f' } }] };
    expect(body({ ...base, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' });
    expect(body({ ...base, tool_choice: 'none' }).tool_choice).toEqual({ type: 'none' });
    expect(body({ ...base, tool_choice: { type: 'function', function: { name: 'f' } } }).tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(body({ ...base, parallel_tool_calls: false }).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(body(base).tool_choice).toBeUndefined();
  });

  it('turns reasoning_effort into an extended-thinking budget and then omits temperature', () => {
    const out = body({ model: 'x', messages: [{ role: 'user', content: 'hi' }], reasoning_effort: 'medium', temperature: 0.3 });
    expect(out.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(out.temperature).toBeUndefined();
    const forced = body({
      model: 'x',
      messages: [{ role: 'user', content: 'hi' }],
      reasoning_effort: 'high',
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: 'required',
    });
    expect(forced.thinking).toBeUndefined();
  });

  it('drops empty text, keeps broken tool arguments under raw, and maps PDFs to documents', () => {
    const out = body({
      model: 'x',
      messages: [
        { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } }] },
        { role: 'assistant', content: '', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
        { role: 'tool', tool_call_id: 'c', content: [{ type: 'text', text: 'ok' }] },
      ],
    });
    expect(out.messages).toEqual([
      { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 'f', input: { raw: '{oops' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c', content: 'ok' }] },
    ]);
  });
});
