import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

// One access-log line per request, with what an operator looks for first, from a gateway whose
// logger writes JSON lines into memory.
let stack: TestStack;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const out = new PassThrough();
  out.on('data', (c: Buffer) => {
    for (const l of c.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
  });
  stack = await startTestStack({ logger: pino({ level: 'info' }, out) });
}, 30_000);

afterAll(async () => {
  await stack?.close();
});

describe('access log', () => {
  it('logs each request once with id, key, model, status, tokens, cost and latency', async () => {
    const { data, response } = await stack.client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'What is 2 + 2?' }] })
      .withResponse();
    await stack.client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(2);
    const id = response.headers.get('x-aigw-request-id');
    expect(access[0]).toMatchObject({
      level: 30,
      id,
      key: null,
      asked: 'auto',
      model: data.model,
      status: 200,
      tokens_in: data.usage?.prompt_tokens,
      tokens_out: data.usage?.completion_tokens,
    });
    expect(access[0]?.cost_usd).toBeCloseTo(Number(response.headers.get('x-aigw-cost-usd')), 9);
    expect(access[0]?.latency_ms).toBeGreaterThan(0);
    expect(access[1]).toMatchObject({ asked: 'no-such-model', model: null, status: 404, error: 'model_not_found' });
  });
});
