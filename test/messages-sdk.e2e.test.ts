import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { RELIABLE_FLEET, startTestStack, withFallbacks, type TestStack } from './helpers/test-stack.ts';

/**
 * POST /v1/messages with the real @anthropic-ai/sdk client: the chat pipeline (routing, budgets,
 * fallbacks, cost, decision log) answering in Anthropic's format, over an OpenAI-format fleet and
 * over an Anthropic-format one.
 */
const ADMIN_KEY = 'messages-admin-key-0123456789';
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    env: { AIGW_ADMIN_KEY: ADMIN_KEY },
    config: (base) => ({ ...base, models: withFallbacks(base.models, 'sim-mini', ['sim-standard']) }),
  });
});
afterAll(async () => {
  await stack?.close();
});

const client = (apiKey = 'no-key-needed') => new Anthropic({ baseURL: stack.url, apiKey, maxRetries: 0 });
const rowOf = (id: string | null) => stack.rowOf(id);

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Anthropic Messages API through the Anthropic SDK', () => {
  it('answers a routed request (model auto) with a Message, its usage, cost headers, row and decision', async () => {
    const { data, response } = await client()
      .messages.create({
        model: 'auto',
        max_tokens: 300,
        system: 'You answer in one short paragraph.',
        messages: [{ role: 'user', content: 'Summarize: the team moved the weekly sync to Tuesday at 10am.' }],
      })
      .withResponse();
    expect(data.type).toBe('message');
    expect(data.role).toBe('assistant');
    expect(data.id).toMatch(/^msg_/);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.content[0]?.type).toBe('text');
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    const model = response.headers.get('x-aigw-model');
    expect(data.model).toBe(model);
    expect(response.headers.get('x-aigw-decision-id')).toBeTruthy();
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({
      status: 200,
      model_requested: 'auto',
      model_used: model,
      input_tokens: data.usage.input_tokens,
      output_tokens: data.usage.output_tokens,
    });
    expect(row?.cost_usd).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBeCloseTo(row!.cost_usd, 10);
    expect(row?.task_type).toBe('summarization');
    const decision = await stack.gateway.runtime.gateway.store.getDecisionByRequest(row!.id);
    expect(decision?.chosen_model).toBe(model);
  });

  it('streams Anthropic’s event sequence; the SDK assembles the same text and usage as the row', async () => {
    const stream = client().messages.stream({ model: 'sim-nano', max_tokens: 200, messages: [{ role: 'user', content: 'Write two sentences about rivers.' }] });
    const types: string[] = [];
    let text = '';
    stream.on('streamEvent', (e) => types.push(e.type));
    stream.on('text', (t) => (text += t));
    const final = await stream.finalMessage();
    const { response } = await stream.withResponse();
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types).toContain('content_block_delta');
    expect(final.content[0]).toMatchObject({ type: 'text', text });
    expect(text.length).toBeGreaterThan(10);
    expect(final.stop_reason).toBe('end_turn');
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({
      status: 200,
      stream: true,
      model_used: 'sim-nano',
      input_tokens: final.usage.input_tokens,
      output_tokens: final.usage.output_tokens,
    });
    expect(row?.ttft_ms).not.toBeNull();
  });

  it('calls tools and takes tool results back, streamed and not', async () => {
    const asked = await client().messages.create({
      model: 'sim-mini',
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    });
    expect(asked.stop_reason).toBe('tool_use');
    const use = asked.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather' });
    expect(typeof (use as { input: { city?: unknown } }).input.city).toBe('string');

    const streamed = await client()
      .messages.stream({
        model: 'sim-mini',
        max_tokens: 200,
        tools: [weatherTool],
        tool_choice: { type: 'any' },
        messages: [{ role: 'user', content: 'Weather in Oslo?' }],
      })
      .finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_weather', input: { city: expect.any(String) } });

    const answered = await client().messages.create({
      model: 'sim-mini',
      max_tokens: 4000,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        { role: 'assistant', content: asked.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: (use as { id: string }).id, content: '18°C and sunny' }] },
      ],
    });
    expect(answered.stop_reason).toBe('end_turn');
    expect(answered.content[0]?.type).toBe('text');
  });

  it('falls back to the next model when the first fails, and says which answered', async () => {
    // sim-mini fails its three tries (max_retries 2), then its fallback sim-standard answers.
    const failFirst = { 'x-sim-fail': '500', 'x-sim-fail-times': '3', 'x-sim-fail-key': 'messages-fallback' };
    const { data, response } = await client()
      .messages.create({ model: 'sim-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Say hi.' }] }, { headers: failFirst })
      .withResponse();
    expect(data.model).toBe('sim-standard');
    expect(response.headers.get('x-aigw-model')).toBe('sim-standard');
    expect(await rowOf(response.headers.get('x-aigw-request-id'))).toMatchObject({ status: 200, attempts: 4, model_used: 'sim-standard' });
    // Every try failing is a 503 in Anthropic's shape (overloaded_error).
    const down = await client()
      .messages.create({ model: 'sim-mini', max_tokens: 100, messages: [{ role: 'user', content: 'Say hi.' }] }, { headers: { 'x-sim-fail': '500' } })
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(Anthropic.APIError);
    expect((down as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
    expect((down as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  }, 30_000);

  it('answers errors in Anthropic’s shape with the right status (unknown model, bad body)', async () => {
    const err = await client()
      .messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect((err as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    const res = await fetch(`${stack.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'auto', messages: [] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string }; request_id: string };
    expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(body.request_id).toBe(res.headers.get('x-aigw-request-id'));
    expect((await rowOf(body.request_id))?.status).toBe(400);
  });

  it('takes the gateway key as x-api-key, and a budget stops spending with Anthropic’s 429', async () => {
    const created = await fetch(`${stack.url}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ name: 'anthropic-sdk', budget_daily_usd: 0.00002 }),
    });
    const key = ((await created.json()) as { key: string }).key;
    stack.gateway.runtime.gateway.keysChanged();
    const ok = await client(key).messages.create({ model: 'sim-nano', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] });
    expect(ok.type).toBe('message');
    const unauth = await client('wrong-key')
      .messages.create({ model: 'sim-nano', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] })
      .catch((e: unknown) => e);
    expect(unauth).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((unauth as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const over = await client(key)
      .messages.create({ model: 'sim-large', max_tokens: 4000, messages: [{ role: 'user', content: 'Write a long essay.' }] })
      .catch((e: unknown) => e);
    expect(over).toBeInstanceOf(Anthropic.RateLimitError);
    expect((over as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'rate_limit_error', message: expect.stringContaining('budget_exceeded') },
    });
  });
});

describe('Anthropic Messages API over an Anthropic-format upstream', () => {
  let anthropicStack: TestStack;
  beforeAll(async () => {
    anthropicStack = await startTestStack({
      config: (base) => {
        const catalog = fleetCatalog(RELIABLE_FLEET, new URL(base.providers![0]!.base_url).origin, { wire: 'anthropic', providerId: 'sim-anthropic' });
        return { ...base, providers: catalog.providers, models: catalog.models };
      },
    });
  });
  afterAll(async () => {
    await anthropicStack?.close();
  });

  it('answers in Anthropic’s format whatever the upstream spoke, streamed and not', async () => {
    const c = new Anthropic({ baseURL: anthropicStack.url, apiKey: 'x', maxRetries: 0 });
    const { data, response } = await c.messages
      .create({ model: 'sim-standard', max_tokens: 100, messages: [{ role: 'user', content: 'Name a colour.' }] })
      .withResponse();
    expect(response.headers.get('x-aigw-provider')).toBe('sim-anthropic');
    expect(data.content[0]?.type).toBe('text');
    const streamed = await c.messages
      .stream({ model: 'sim-standard', max_tokens: 100, messages: [{ role: 'user', content: 'Name a colour.' }] })
      .finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'text', text: (data.content[0] as { text: string }).text });
    expect(streamed.usage.output_tokens).toBe(data.usage.output_tokens);
  });
});
