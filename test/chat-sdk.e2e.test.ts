import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, withFallbacks, type TestStack } from './helpers/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    config: (base) => ({
      ...base,
      models: withFallbacks(base.models, 'sim-mini', ['sim-standard']),
    }),
  });
});
afterAll(async () => {
  await stack?.close();
});

const rowOf = (requestId: string | null) => stack.rowOf(requestId);

describe('chat completions through the openai SDK', () => {
  it('lists configured and routing models', async () => {
    const models = await stack.client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['sim-nano', 'sim-mini', 'sim-standard', 'auto', 'auto-cost']));
  });

  it('answers a non-stream request with usage, cost and the gateway headers', async () => {
    const { data, response } = await stack.client.chat.completions
      .create({ model: 'sim-mini', messages: [{ role: 'user', content: 'Say hello to the team.' }], temperature: 0.2 })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(data.model).toBe('sim-mini');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-aigw-model')).toBe('sim-mini');
    expect(response.headers.get('x-aigw-provider')).toBe('sim');
    expect(Number(response.headers.get('x-aigw-overhead-ms'))).toBeGreaterThanOrEqual(0);
    // sim-mini costs $0.15 / $0.60 per 1M tokens.
    const expectedCostUsd = ((data.usage?.prompt_tokens ?? 0) * 0.15 + (data.usage?.completion_tokens ?? 0) * 0.6) / 1e6;
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBeCloseTo(expectedCostUsd, 10);
    // usage.cost (USD), as OpenRouter sends it: readable from the SDK without the headers.
    expect((data.usage as { cost?: number } | undefined)?.cost).toBeCloseTo(expectedCostUsd, 12);
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, model_requested: 'sim-mini', model_used: 'sim-mini', provider: 'sim', stream: false });
    expect(row?.cost_usd).toBeCloseTo(expectedCostUsd, 12);
    expect(row?.input_tokens).toBe(data.usage?.prompt_tokens);
    expect(row?.usage_estimated).toBe(false);
    expect(row?.prompt_text).toBeNull();
  });

  it('streams chunk by chunk and sends one usage chunk when asked', async () => {
    const { data: stream, response } = await stack.client.chat.completions
      .create({
        model: 'sim-nano',
        messages: [{ role: 'user', content: 'Write two sentences about rivers.' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let chunks = 0;
    const usageChunks: OpenAI.CompletionUsage[] = [];
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usageChunks.push(chunk.usage);
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text.length).toBeGreaterThan(10);
    expect(usageChunks).toHaveLength(1);
    expect(usageChunks[0]?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-aigw-model')).toBe('sim-nano');
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, stream: true, output_tokens: usageChunks[0]?.completion_tokens });
    // The usage chunk carries the settled cost, exactly the row's (trailers are invisible to the SDK).
    expect((usageChunks[0] as { cost?: number }).cost).toBe(row?.cost_usd);
    expect(row?.ttft_ms).not.toBeNull();
    expect(row?.cost_usd).toBeGreaterThan(0);
  });

  it('does not send a usage chunk when the client did not ask, but still bills the stream', async () => {
    const { data: stream, response } = await stack.client.chat.completions
      .create({ model: 'sim-nano', messages: [{ role: 'user', content: 'Name a colour.' }], stream: true })
      .withResponse();
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row?.output_tokens).toBeGreaterThan(0);
    expect(row?.cost_usd).toBeGreaterThan(0);
  });

  const weatherTool: OpenAI.ChatCompletionTool = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  };

  it('returns tool calls (non-stream)', async () => {
    const res = await stack.client.chat.completions.create({
      model: 'sim-standard',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: 'auto',
    });
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toHaveProperty('city');
  });

  it('streams tool calls that reassemble into valid JSON arguments', async () => {
    const stream = await stack.client.chat.completions.create({
      model: 'sim-standard',
      messages: [{ role: 'user', content: 'What is the weather in Oslo?' }],
      tools: [weatherTool],
      stream: true,
    });
    let args = '';
    let name = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) name = call.function.name;
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toHaveProperty('city');
    expect(finish).toBe('tool_calls');
  });

  it('honours n and JSON mode', async () => {
    const res = await stack.client.chat.completions.create({
      model: 'sim-standard',
      messages: [{ role: 'user', content: 'Give me a JSON object with a name field.' }],
      n: 2,
      response_format: { type: 'json_object' },
    });
    expect(res.choices).toHaveLength(2);
    expect(() => JSON.parse(res.choices[0]?.message.content ?? '') as unknown).not.toThrow();
  });

  it('refuses n > 1 for a model whose upstream has no n, and routes n > 1 only to models that have it', async () => {
    // sim-reasoner is declared supports_n: false in the default simulated fleet.
    const refused = await stack.client.chat.completions.create({ model: 'sim-reasoner', messages: [{ role: 'user', content: 'Name a colour.' }], n: 2 }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');
    const { response } = await stack.client.chat.completions
      .create({ model: 'auto-quality', messages: [{ role: 'user', content: 'Prove that the square root of 2 is irrational, step by step.' }], n: 2 })
      .withResponse();
    expect(response.headers.get('x-aigw-model')).not.toBe('sim-reasoner');
    const decision = (await (await fetch(`${stack.url}/v1/decisions/${response.headers.get('x-aigw-request-id')}`)).json()) as {
      candidates: Array<{ model: string; eligible: boolean; reason?: string }>;
    };
    expect(JSON.stringify(decision.candidates.find((c) => c.model === 'sim-reasoner'))).toContain('no n > 1 support');
  });

  it('routes `auto` and explains the decision', async () => {
    const { data, response } = await stack.client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'Summarize in one line: the meeting moved to Tuesday at 3pm.' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    const requestId = response.headers.get('x-aigw-request-id');
    expect(response.headers.get('x-aigw-route-rule')).toBeTruthy();
    const model = response.headers.get('x-aigw-model');
    const row = await rowOf(requestId);
    expect(row?.decision_id).toBe(response.headers.get('x-aigw-decision-id'));
    const decision = (await (await fetch(`${stack.url}/v1/decisions/${requestId}`)).json()) as Record<string, unknown>;
    expect(decision.chosen_model).toBe(model);
    expect(decision.task_type).toBe('summarization');
    expect(typeof decision.rationale).toBe('string');
    expect(Array.isArray(decision.candidates)).toBe(true);
  });
});

describe('reliability', () => {
  it('retries a failed call and honours retry-after', async () => {
    const { data, response } = await stack.client.chat.completions
      .create(
        { model: 'sim-nano', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-sim-fail': '429', 'x-sim-fail-times': '1', 'x-sim-fail-key': 'retry-1', 'x-sim-retry-after': '0' } },
      )
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row?.attempts).toBe(2);
    expect(row?.model_used).toBe('sim-nano');
  });

  it('falls back to the next model when one keeps failing', async () => {
    const { response } = await stack.client.chat.completions
      .create(
        { model: 'sim-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-sim-fail': '500', 'x-sim-fail-times': '3', 'x-sim-fail-key': 'fallback-1' } },
      )
      .withResponse();
    expect(response.headers.get('x-aigw-model')).toBe('sim-standard');
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ model_requested: 'sim-mini', model_used: 'sim-standard', attempts: 4, status: 200 });
  });

  it('falls back when the upstream no longer knows the model (404)', async () => {
    const { response } = await stack.client.chat.completions
      .create(
        { model: 'sim-mini', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-sim-fail': '404', 'x-sim-fail-times': '1', 'x-sim-fail-key': 'gone-1' } },
      )
      .withResponse();
    expect(response.headers.get('x-aigw-model')).toBe('sim-standard');
  });

  it('a client that leaves stops the upstream call and still leaves a row', async () => {
    const abort = new AbortController();
    const pending = fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-fail': 'timeout' },
      body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'never answered' }], metadata: { probe: 'client-leaves' } }),
      signal: abort.signal,
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    abort.abort();
    await pending;
    const g = stack.gateway.runtime.gateway;
    let row;
    for (let i = 0; i < 50 && !row; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await g.writer.flush();
      const ids = await g.store.listRequestIds();
      for (const id of ids) {
        const r = await g.store.getRequest(id);
        if (r?.metadata?.includes('client-leaves')) row = r;
      }
    }
    expect(row).toMatchObject({ status: 499, error_type: 'client_closed' });
    expect(g.inFlight.size).toBe(0);
  });

  it('ends a stream cut mid-answer with an error event and no [DONE]', async () => {
    const res = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-fail': 'cut' },
      body: JSON.stringify({ model: 'sim-nano', stream: true, messages: [{ role: 'user', content: 'Tell me a long story.' }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
    const row = await rowOf(res.headers.get('x-aigw-request-id'));
    expect(row?.status).toBe(502);
    expect(row?.error_type).toBe('stream_cut');

    const stream = await stack.client.chat.completions.create(
      { model: 'sim-nano', stream: true, messages: [{ role: 'user', content: 'Tell me a long story.' }] },
      { headers: { 'x-sim-fail': 'cut' } },
    );
    await expect(async () => {
      for await (const _chunk of stream) {
        // drain until the error event
      }
    }).rejects.toThrow(/mid-answer/);
  });
});
