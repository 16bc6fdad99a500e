import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatCompletionChunk } from '../providers/chat-schema.ts';
import { simOutcome } from './answer.ts';
import { DEFAULT_FLEET } from './fleet.ts';
import { startSim, type SimServer } from './server.ts';
import { classifySimTaskType } from './task-type.ts';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, seed: 42 });
});
afterAll(async () => {
  await sim.close();
});

function post(body: unknown, headers: Record<string, string> = {}, path = '/v1/chat/completions'): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer x', ...headers },
    body: JSON.stringify(body),
  });
}

function dataEvents(text: string): string[] {
  return text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
}

const QUESTION = 'What is the tallest mountain on Earth?';

describe('sim server, OpenAI wire format', () => {
  it('answers a non-stream completion with usage, outcome headers and the simulated label', async () => {
    const res = await post({
      model: 'sim-standard',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: QUESTION },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sim')).toBe('simulated');
    const expected = simOutcome('sim-standard', QUESTION, classifySimTaskType(QUESTION), DEFAULT_FLEET, 42);
    expect(res.headers.get('x-sim-outcome')).toBe(expected ? '1' : '0');
    const body = (await res.json()) as ChatCompletion;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'sim-standard',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }],
    });
    const content = body.choices[0]!.message.content!;
    expect(body.usage).toMatchObject({
      prompt_tokens: Math.ceil(('Be brief.'.length + QUESTION.length) / 4) + 6,
      completion_tokens: Math.ceil(content.length / 4),
    });
    expect(body.usage!.total_tokens).toBe(body.usage!.prompt_tokens + body.usage!.completion_tokens);
  });

  it('streams SSE chunks ending in a usage chunk and [DONE] that add up to the non-stream answer', async () => {
    const req = { model: 'sim-mini', messages: [{ role: 'user', content: QUESTION }] };
    const whole = (await (await post(req)).json()) as ChatCompletion;
    const res = await post({ ...req, stream: true, stream_options: { include_usage: true } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = dataEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as ChatCompletionChunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(whole.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('omits the usage chunk without stream_options.include_usage', async () => {
    const res = await post({ model: 'sim-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const chunks = dataEvents(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e) as ChatCompletionChunk);
    expect(chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it('returns n choices, streamed interleaved by index', async () => {
    const body = (await (await post({ model: 'sim-large', n: 3, messages: [{ role: 'user', content: 'Name a color.' }] })).json()) as ChatCompletion;
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    const res = await post({ model: 'sim-large', n: 3, stream: true, messages: [{ role: 'user', content: 'Name a color.' }] });
    const chunks = dataEvents(await res.text())
      .slice(0, -1)
      .map((e) => JSON.parse(e) as ChatCompletionChunk);
    for (const i of [0, 1, 2]) {
      const text = chunks
        .flatMap((c) => c.choices.filter((ch) => ch.index === i))
        .map((ch) => ch.delta.content ?? '')
        .join('');
      expect(text).toBe(body.choices[i]!.message.content);
    }
    const rejected = await post({ model: 'sim-reasoner', n: 2, messages: [{ role: 'user', content: 'x' }] });
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'n' } });
  });

  it('emits a tool call with JSON arguments from the schema, in both modes', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } }, required: ['city'] },
        },
      },
    ];
    const req = { model: 'sim-mini', tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] };
    const body = (await (await post(req)).json()) as ChatCompletion;
    const call = body.choices[0]!.message.tool_calls![0]!;
    expect(body.choices[0]!.finish_reason).toBe('tool_calls');
    expect(body.choices[0]!.message.content).toBeNull();
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris', days: 1 });
    const chunks = dataEvents(await (await post({ ...req, stream: true })).text())
      .slice(0, -1)
      .map((e) => JSON.parse(e) as ChatCompletionChunk);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toMatchObject({ index: 0, id: call.id, type: 'function', function: { name: 'get_weather' } });
    expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe(call.function.arguments);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls');
    const none = (await (await post({ ...req, tool_choice: 'none' })).json()) as ChatCompletion;
    expect(none.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('answers JSON mode with a parseable object', async () => {
    const body = (await (
      await post({ model: 'sim-mini', response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'List facts as JSON' }] })
    ).json()) as ChatCompletion;
    expect(JSON.parse(body.choices[0]!.message.content!)).toMatchObject({ simulated: true, model: 'sim-mini' });
  });

  it('lists models and reports errors in OpenAI shape', async () => {
    const models = (await (await fetch(`${sim.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(DEFAULT_FLEET.models.map((m) => m.id));
    const unknown = await post({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { message: expect.stringContaining('gpt-nope'), type: 'invalid_request_error', param: null, code: 'model_not_found' },
    });
    const bad = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-sim')).toBe('simulated');
    const noMessages = await post({ model: 'sim-mini', messages: [] });
    expect(await noMessages.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'messages' } });
  });

  it('is deterministic for (seed, model, prompt) across servers and differs with another seed', async () => {
    const req = { model: 'sim-nano', messages: [{ role: 'user', content: 'Describe the ocean.' }] };
    const contentOf = async (s: SimServer) =>
      ((await (await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(req) })).json()) as ChatCompletion).choices[0]!.message
        .content;
    const same = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, seed: 42 });
    const other = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, seed: 43 });
    try {
      expect(await contentOf(same)).toBe(await contentOf(sim));
      expect(await contentOf(other)).not.toBe(await contentOf(sim));
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('counts requests per model', async () => {
    const before = sim.stats();
    await post({ model: 'sim-large', messages: [{ role: 'user', content: 'x' }] });
    const after = sim.stats();
    expect(after.requests).toBe(before.requests + 1);
    expect(after.byModel['sim-large']).toBe((before.byModel['sim-large'] ?? 0) + 1);
  });
});
