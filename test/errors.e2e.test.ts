import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestStack, type TestStack } from './helpers/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    config: (base) => ({
      ...base,
      server: { body_limit_bytes: 4096 },
      models: base.models?.map((m) => (m.id === 'sim-nano' ? { ...m, timeout_ms: 300 } : m)),
    }),
  });
});
afterAll(async () => {
  await stack?.close();
});

const chatUrl = () => `${stack.url}/v1/chat/completions`;

/** Every failed request must still leave its row with the status the client saw. */
async function expectRow(requestId: string | null, status: number, errorType: string) {
  expect(requestId).toBeTruthy();
  await stack.gateway.runtime.gateway.writer.flush();
  const row = await stack.gateway.runtime.gateway.store.getRequest(requestId ?? '');
  expect(row).toMatchObject({ status, error_type: errorType });
}

function expectOpenAIError(json: Record<string, unknown>, fields: { type?: string; code?: string; param?: string | null }) {
  const error = json.error as Record<string, unknown>;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(error).toMatchObject(fields);
  expect(String(error.message)).not.toMatch(/\n\s+at /); // never a stack trace
}

describe('bad input gets a clear OpenAI-style error and leaves a row', () => {
  it('malformed JSON → 400', async () => {
    const res = await postJson(chatUrl(), '{"model": "sim-nano", "messages": [');
    expect(res.status).toBe(400);
    expectOpenAIError(res.json, { type: 'invalid_request_error', code: 'invalid_json' });
    await expectRow(res.headers.get('x-aigw-request-id'), 400, 'invalid_json');
  });

  it('missing field → 400 naming it', async () => {
    const res = await postJson(chatUrl(), { model: 'sim-nano' });
    expect(res.status).toBe(400);
    expectOpenAIError(res.json, { param: 'messages' });
    await expectRow(res.headers.get('x-aigw-request-id'), 400, 'invalid_value');
  });

  it('invalid field → 400 naming it, through the SDK', async () => {
    const err = await stack.client.chat.completions
      .create({ model: 'sim-nano', messages: [{ role: 'user', content: 'x' }], temperature: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
  });

  it('unknown model → 404', async () => {
    const err = await stack.client.chat.completions.create({ model: 'gpt-9-ultra', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const e = err as InstanceType<typeof OpenAI.NotFoundError>;
    expect(e.code).toBe('model_not_found');
    await expectRow(e.headers.get('x-aigw-request-id'), 404, 'model_not_found');
  });

  it('body over the limit → 413', async () => {
    const res = await postJson(chatUrl(), { model: 'sim-nano', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] });
    expect(res.status).toBe(413);
    expectOpenAIError(res.json, { code: 'request_too_large' });
    await expectRow(res.headers.get('x-aigw-request-id'), 413, 'request_too_large');
  });

  it('no healthy upstream → 503', async () => {
    const res = await postJson(chatUrl(), { model: 'sim-nano', messages: [{ role: 'user', content: 'x' }] }, { 'x-sim-fail': '500' });
    expect(res.status).toBe(503);
    expectOpenAIError(res.json, { type: 'service_unavailable', code: 'no_healthy_upstream' });
    await expectRow(res.headers.get('x-aigw-request-id'), 503, 'no_healthy_upstream');
  });

  it('upstream timeout → 504', async () => {
    const res = await postJson(chatUrl(), { model: 'sim-nano', messages: [{ role: 'user', content: 'x' }] }, { 'x-sim-fail': 'timeout' });
    expect(res.status).toBe(504);
    expectOpenAIError(res.json, { type: 'timeout_error', code: 'upstream_timeout' });
    await expectRow(res.headers.get('x-aigw-request-id'), 504, 'upstream_timeout');
  });

  it('an upstream 400 is passed to the client as a 400, not retried', async () => {
    const res = await postJson(chatUrl(), { model: 'sim-nano', messages: [{ role: 'user', content: 'x' }] }, { 'x-sim-fail': '400' });
    expect(res.status).toBe(400);
    await stack.gateway.runtime.gateway.writer.flush();
    const row = await stack.gateway.runtime.gateway.store.getRequest(res.headers.get('x-aigw-request-id') ?? '');
    expect(row?.attempts).toBe(1);
  });

  it('an unknown route → 404 in the same shape', async () => {
    const res = await postJson(`${stack.url}/v1/nope`, {});
    expect(res.status).toBe(404);
    expectOpenAIError(res.json, { code: 'route_not_found' });
  });
});
