import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, withFallbacks, type TestStack } from './helpers/test-stack.ts';

// A stream that fails before its first piece of answer has sent the client nothing, so it is
// retried and falls back like a failed call; one that fails mid-answer counts against the breaker.
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    config: (base) => ({
      ...base,
      models: withFallbacks(base.models, 'sim-mini', ['sim-standard']),
      reliability: { max_retries: 2, backoff_base_ms: 1, backoff_max_ms: 5, breaker: { failure_threshold: 2, cooldown_ms: 60_000 } },
    }),
  });
});
afterAll(async () => {
  await stack?.close();
});

const rowOf = (requestId: string | null) => stack.rowOf(requestId);

function streamBody(model: string, content: string): string {
  return JSON.stringify({ model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }] });
}

describe('stream start failures', () => {
  it('retries a stream whose first event is an error, and the client gets one clean answer', async () => {
    const res = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-fail': 'stream_error', 'x-sim-fail-times': '1', 'x-sim-fail-key': 'start-1' },
      body: streamBody('sim-nano', 'Write two sentences about rivers.'),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('"error"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const row = await rowOf(res.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, attempts: 2, model_used: 'sim-nano', error_type: null });
    expect(row?.output_tokens).toBeGreaterThan(0);
  });

  it('falls back to the next model when every attempt of the first one fails before the answer', async () => {
    const stream = await stack.client.chat.completions
      .create(
        { model: 'sim-mini', stream: true, messages: [{ role: 'user', content: 'Name three rivers.' }] },
        // Two failed starts open sim-mini's breaker (threshold 2), so its third try is skipped.
        { headers: { 'x-sim-fail': 'stream_error', 'x-sim-fail-times': '2', 'x-sim-fail-key': 'start-2' } },
      )
      .withResponse();
    expect(stream.response.headers.get('x-aigw-model')).toBe('sim-standard');
    let answer = '';
    for await (const chunk of stream.data) answer += chunk.choices[0]?.delta.content ?? '';
    expect(answer.length).toBeGreaterThan(0);
    const row = await rowOf(stream.response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, model_requested: 'sim-mini', model_used: 'sim-standard', attempts: 4 });
    expect(stack.gateway.runtime.gateway.breakers.get('sim-mini').state(Date.now())).toBe('open');
  });

  it('answers 502 after the retries when the only model keeps failing before the answer', async () => {
    const res = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-fail': 'stream_error', 'x-sim-fail-times': '3', 'x-sim-fail-key': 'start-3' },
      body: streamBody('sim-small-code', 'Write a haiku.'),
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toBeTruthy();
    const row = await rowOf(res.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ model_used: 'sim-small-code', attempts: 3 });
    expect(row?.status).toBe(res.status);
  });
});

describe('mid-stream failures and the circuit breaker', () => {
  it('opens the breaker after failure_threshold streams cut mid-answer, then refuses the model', async () => {
    const g = stack.gateway.runtime.gateway;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sim-fail': 'cut' },
        body: streamBody('sim-large', 'Tell me a long story about a lighthouse.'),
      });
      expect(res.status).toBe(200); // the answer had begun: the cut reaches the client as an error event
      expect(await res.text()).toContain('"error"');
      expect((await rowOf(res.headers.get('x-aigw-request-id')))?.error_type).toBe('stream_cut');
    }
    expect(g.breakers.get('sim-large').state(Date.now())).toBe('open');
    const refused = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-large', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(refused.status).toBe(503);
  });

  it('a clean stream keeps the breaker closed', async () => {
    const res = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamBody('sim-reasoner', 'Why is the sky blue?'),
    });
    expect(await res.text()).toContain('[DONE]');
    expect(stack.gateway.runtime.gateway.breakers.get('sim-reasoner').state(Date.now())).toBe('closed');
  });
});
