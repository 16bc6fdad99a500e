import { describe, expect, it } from 'vitest';
import { ChatRequest } from '../chat-schema.ts';
import { loadJsonFixture } from '../shared/replay-sse-fixture.test-support.ts';
import { makeTestTarget } from '../shared/target.test-support.ts';
import { convertToGeminiRequest } from './convert-to-gemini-request.ts';

const fixture = (name: string): unknown => loadJsonFixture(new URL(`./__fixtures__/${name}`, import.meta.url));
const target = makeTestTarget('gemini', { id: 'flash', upstream_model: 'gemini-2.5-flash' });

describe('convertToGeminiRequest', () => {
  it('maps system, images, function calls and responses, tools, tool choice and generationConfig', () => {
    const out = convertToGeminiRequest(ChatRequest.parse(fixture('chat-request-tools.json')), target, { stream: false });
    expect(JSON.parse(out.body)).toEqual(fixture('generate-content-request-tools.json'));
  });

  it('uses generateContent or streamGenerateContent?alt=sse with the key in x-goog-api-key', () => {
    const req = ChatRequest.parse({ model: 'x', messages: [{ role: 'user', content: 'hi' }] });
    expect(convertToGeminiRequest(req, target, { stream: false }).path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    const streamed = convertToGeminiRequest(req, target, { stream: true });
    expect(streamed.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(streamed.headers['x-goog-api-key']).toBe('test-key');
    expect(streamed.path).not.toContain('key=');
    const versioned = makeTestTarget('gemini', { upstream_model: 'models/gemini-2.5-pro' }, { base_url: 'https://generativelanguage.googleapis.com/v1beta' });
    expect(convertToGeminiRequest(req, versioned, { stream: false }).path).toBe('/models/gemini-2.5-pro:generateContent');
  });

  it('maps json_object to a JSON mime type and the other tool choices to calling modes', () => {
    const base = { model: 'x', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'f' } }] };
    const body = (extra: object): Record<string, unknown> =>
      JSON.parse(convertToGeminiRequest(ChatRequest.parse({ ...base, ...extra }), target, { stream: false }).body) as Record<string, unknown>;
    expect(body({ response_format: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(body({ tool_choice: 'none' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(body({ tool_choice: 'auto' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(body({ tool_choice: 'required' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(body({}).generationConfig).toBeUndefined();
  });

  it('adds the documented thought-signature sentinel to replayed calls for Gemini 3 only', () => {
    const req = ChatRequest.parse({
      model: 'x',
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: '1' },
        { role: 'tool', tool_call_id: 'b', content: '2' },
      ],
    });
    const g3 = makeTestTarget('gemini', { upstream_model: 'gemini-3-pro-preview' });
    const parts = (t: typeof target): unknown =>
      (JSON.parse(convertToGeminiRequest(req, t, { stream: false }).body) as { contents: Array<{ parts: unknown[] }> }).contents[1]?.parts;
    expect(parts(g3)).toEqual([
      { functionCall: { name: 'f', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
      { functionCall: { name: 'g', args: {} } },
    ]);
    expect(parts(target)).toEqual([{ functionCall: { name: 'f', args: {} } }, { functionCall: { name: 'g', args: {} } }]);
  });
});
