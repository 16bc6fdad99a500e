import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simEmbedding } from '../src/sim/embedding-vector.ts';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

/**
 * POST /v1/embeddings with the real openai SDK against the simulated fleet: routed to the named
 * model (OpenAI and Gemini wire formats), costed, budgeted, rate-limited, one row per request.
 */
const ADMIN_KEY = 'embeddings-admin-key-0123456789';
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    env: { AIGW_ADMIN_KEY: ADMIN_KEY },
    config: (base) => ({
      ...base,
      // The same simulator reached over Gemini's wire format (batchEmbedContents), with the OpenAI-format model as its fallback.
      providers: [...(base.providers ?? []), { id: 'sim-gemini', type: 'gemini', base_url: new URL(base.providers![0]!.base_url).origin, simulated: true }],
      models: [
        ...(base.models ?? []),
        {
          id: 'gemini-embed',
          provider: 'sim-gemini',
          upstream_model: 'sim-embed-small',
          kind: 'embedding',
          pricing: { input: 0.15, output: 0 },
          context_window: 2048,
          max_output_tokens: 1,
          fallbacks: ['sim-embed-small'],
        },
      ],
    }),
  });
});
afterAll(async () => {
  await stack?.close();
});

const texts = ['The cat sat on the mat.', 'Quarterly revenue grew 12 percent.'];

async function createKey(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${stack.url}/admin/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify(body),
  });
  stack.gateway.runtime.gateway.keysChanged();
  return ((await res.json()) as { key: string }).key;
}

describe('embeddings through the openai SDK', () => {
  it('answers with the named model’s vectors (base64, the SDK default), usage.cost, headers and a row', async () => {
    const { data, response } = await stack.client.embeddings.create({ model: 'sim-embed-small', input: texts }).withResponse();
    expect(data.model).toBe('sim-embed-small');
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);
    expect(data.data[0]!.embedding).toHaveLength(512);
    // Sent as float32 base64 and decoded by the SDK: equal to the simulator's vector at float32 precision.
    expect(data.data[1]!.embedding[3]).toBeCloseTo(simEmbedding('sim-embed-small', texts[1]!, 512)[3]!, 6);
    const tokens = texts.reduce((s, t) => s + Math.ceil(t.length / 4), 0);
    expect(data.usage).toMatchObject({ prompt_tokens: tokens, total_tokens: tokens });
    const costUsd = (tokens * 0.02) / 1e6; // sim-embed-small: $0.02 per 1M input tokens
    expect((data.usage as { cost?: number }).cost).toBeCloseTo(costUsd, 15);
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBeCloseTo(costUsd, 10);
    expect(response.headers.get('x-aigw-model')).toBe('sim-embed-small');
    const row = await stack.rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({
      status: 200,
      model_requested: 'sim-embed-small',
      model_used: 'sim-embed-small',
      provider: 'sim',
      input_tokens: tokens,
      output_tokens: 0,
      usage_estimated: false,
      stream: false,
    });
    expect(row?.cost_usd).toBeCloseTo(costUsd, 15);
  });

  it('honours float encoding and dimensions', async () => {
    const res = await stack.client.embeddings.create({ model: 'sim-embed-large', input: 'hello world', encoding_format: 'float', dimensions: 64 });
    expect(res.data[0]!.embedding).toHaveLength(64);
    expect(Math.hypot(...res.data[0]!.embedding)).toBeCloseTo(1, 9);
  });

  it('speaks Gemini’s batchEmbedContents upstream, counting tokens itself (Gemini reports none)', async () => {
    const { data, response } = await stack.client.embeddings.create({ model: 'gemini-embed', input: texts, encoding_format: 'float' }).withResponse();
    expect(response.headers.get('x-aigw-provider')).toBe('sim-gemini');
    expect(data.data[0]!.embedding).toEqual(simEmbedding('sim-embed-small', texts[0]!, 512));
    const row = await stack.rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, model_used: 'gemini-embed', usage_estimated: true });
    expect(row!.input_tokens).toBeGreaterThan(0);
    expect(row!.cost_usd).toBeCloseTo((row!.input_tokens * 0.15) / 1e6, 15);
  });

  it('falls back to the next embedding model, and refuses token ids Gemini cannot take', async () => {
    const failGemini = { 'x-sim-fail': '500', 'x-sim-fail-times': '3', 'x-sim-fail-key': 'embed-fallback' };
    const { response } = await stack.client.embeddings.create({ model: 'gemini-embed', input: 'hi' }, { headers: failGemini }).withResponse();
    expect(response.headers.get('x-aigw-model')).toBe('sim-embed-small');
    expect((await stack.rowOf(response.headers.get('x-aigw-request-id')))?.attempts).toBe(4);
    const tokens = await stack.client.embeddings.create({ model: 'gemini-embed', input: [[1, 2, 3]] }).catch((e: unknown) => e);
    expect(tokens).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('refuses routing models and chat models, each with a row', async () => {
    for (const model of ['auto', 'sim-mini']) {
      const err = await stack.client.embeddings.create({ model, input: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect((err as InstanceType<typeof OpenAI.APIError>).param).toBe('model');
      expect((await stack.rowOf((err as InstanceType<typeof OpenAI.APIError>).headers?.get('x-aigw-request-id') ?? null))?.status).toBe(400);
    }
    const chat = await stack.client.chat.completions.create({ model: 'sim-embed-small', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(OpenAI.BadRequestError);
    expect(await stack.client.embeddings.create({ model: 'nope', input: 'x' }).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('is budgeted and rate-limited per key like chat', async () => {
    const tight = stack.clientWithKey(await createKey({ name: 'embed-budget', budget_daily_usd: 0.0000001 }));
    const long = 'word '.repeat(4000);
    const over = await tight.embeddings.create({ model: 'sim-embed-large', input: [long, long] }).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(OpenAI.RateLimitError);
    expect((over as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
    const limited = stack.clientWithKey(await createKey({ name: 'embed-rpm', rpm_limit: 1 }));
    await limited.embeddings.create({ model: 'sim-embed-small', input: 'one' });
    const second = await limited.embeddings.create({ model: 'sim-embed-small', input: 'two' }).catch((e: unknown) => e);
    expect((second as InstanceType<typeof OpenAI.APIError>).code).toBe('rate_limit_exceeded');
  });
});
