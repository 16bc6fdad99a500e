import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET } from './fleet.ts';
import { startSim, type SimServer } from './server.ts';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, seed: 9 });
});
afterAll(async () => {
  await sim.close();
});

function post(body: unknown): Promise<Response> {
  return fetch(`${sim.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
}

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))!.slice(7);
      const data = JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Record<string, unknown>;
      expect(data.type).toBe(event);
      return { event, data };
    });
}

const BASE = { model: 'sim-standard', max_tokens: 400, system: 'You are terse.', messages: [{ role: 'user', content: 'Summarize the plot of Hamlet.' }] };

describe('sim server, Anthropic wire format', () => {
  it('answers a non-stream message with text content and usage', async () => {
    const res = await post(BASE);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sim')).toBe('simulated');
    expect(res.headers.get('x-sim-task-type')).toBe('summarization');
    const body = (await res.json()) as { content: Array<{ type: string; text: string }>; usage: Record<string, number>; stop_reason: string };
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'sim-standard', stop_reason: 'end_turn', stop_sequence: null });
    const text = body.content[0]!.text;
    expect(body.usage).toEqual({
      input_tokens: Math.ceil(('You are terse.'.length + 'Summarize the plot of Hamlet.'.length) / 4) + 3,
      output_tokens: Math.ceil(text.length / 4),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('streams the documented event sequence, and the deltas rebuild the non-stream text', async () => {
    const whole = (await (await post(BASE)).json()) as { content: Array<{ text: string }>; usage: { input_tokens: number; output_tokens: number } };
    const events = parseSse(await (await post({ ...BASE, stream: true })).text());
    const names = events.map((e) => e.event);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(names.slice(3, -3))).toEqual(new Set(['content_block_delta']));
    const start = events[0]!.data.message as { usage: { input_tokens: number } };
    expect(start.usage.input_tokens).toBe(whole.usage.input_tokens);
    const text = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data.delta as { text: string }).text)
      .join('');
    expect(text).toBe(whole.content[0]!.text);
    expect(events.at(-2)!.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: whole.usage.output_tokens },
    });
  });

  it('reports max_tokens and stop_sequence stops', async () => {
    const short = (await (await post({ ...BASE, max_tokens: 3 })).json()) as { stop_reason: string; usage: { output_tokens: number } };
    expect(short).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 3 } });
    const stopped = (await (await post({ ...BASE, stop_sequences: [' answer'] })).json()) as {
      stop_reason: string;
      stop_sequence: string;
      content: Array<{ text: string }>;
    };
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: ' answer', content: [{ text: 'Simulated summarization' }] });
  });

  it('emits tool_use blocks when tools are given, streamed as input_json_delta', async () => {
    const req = {
      ...BASE,
      tools: [
        {
          name: 'lookup',
          description: 'Look up a word',
          input_schema: { type: 'object', properties: { word: { type: 'string' }, limit: { type: 'integer' } } },
        },
      ],
    };
    const body = (await (await post(req)).json()) as { stop_reason: string; content: Array<{ type: string; id: string; name: string; input: unknown }> };
    expect(body.stop_reason).toBe('tool_use');
    expect(body.content[0]).toMatchObject({ type: 'tool_use', name: 'lookup', input: { word: 'simulated word', limit: 1 } });
    const events = parseSse(await (await post({ ...req, stream: true })).text());
    expect(events[1]!.data.content_block).toEqual({ type: 'tool_use', id: body.content[0]!.id, name: 'lookup', input: {} });
    const json = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data.delta as { type: string; partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual(body.content[0]!.input);
    const afterResult = (await (
      await post({
        ...req,
        messages: [
          ...req.messages,
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { word: 'x' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'a definition' }] },
        ],
      })
    ).json()) as { content: Array<{ type: string }> };
    expect(afterResult.content[0]!.type).toBe('text');
  });

  it('reports errors in Anthropic shape', async () => {
    const unknown = await post({ ...BASE, model: 'claude-nope' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'model: claude-nope' } });
    const missing = await post({ model: 'sim-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
    const limited = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'x-sim-fail': '529' }, body: JSON.stringify(BASE) });
    expect(limited.status).toBe(529);
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });
});
