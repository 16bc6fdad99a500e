import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costUsd } from '../../costs/cost.ts';
import type { DemoRequest } from './demo-plan.ts';
import { startFakeGateway, type FakeGateway } from './fake-gateway.test-support.ts';
import { generateDemoPrompts } from './prompts.ts';
import { demoMetadata, fromDemoUsage, sendDemoRequest } from './send-demo-request.ts';

let fake: FakeGateway;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeGateway();
  client = new OpenAI({ baseURL: fake.url, apiKey: 'k', maxRetries: 0 });
});
afterAll(() => fake.close());

const [prompt] = generateDemoPrompts(1, 3);
const request = (model: string, stream = false): DemoRequest => ({ index: 7, prompt: prompt!, model, stream });
const PRICES = new Map([['m1', { input: 1, output: 4, cached_input: 0.5 }]]);

describe('sendDemoRequest', () => {
  it('reads cost, model, overhead and usage of an answer from the gateway headers', async () => {
    const r = await sendDemoRequest(client, request('ok'), PRICES);
    expect(r).toMatchObject({
      index: 7,
      promptId: prompt!.id,
      taskType: prompt!.taskType,
      status: 200,
      errorType: null,
      requestId: 'req-1',
      modelUsed: 'm1',
      simulated: true,
      costUsd: 0.001234,
      costSource: 'header',
      overheadMs: 1.25,
      routeRule: 'default',
      usage: { promptTokens: 1_000, completionTokens: 100, cachedTokens: 200, reasoningTokens: 0 },
    });
    expect(r.latencyMs).toBeGreaterThan(0);
  });

  it('costs a stream from its usage chunk at the catalog price (its cost header is a trailer)', async () => {
    const r = await sendDemoRequest(client, request('stream-ok', true), PRICES);
    expect(r).toMatchObject({ status: 200, stream: true, costSource: 'usage', modelUsed: 'm1' });
    // 800 uncached × $1/M + 200 cached × $0.5/M + 100 out × $4/M
    expect(r.costUsd).toBe(costUsd(fromDemoUsage(r.usage!), PRICES.get('m1')!));
    expect(r.costUsd).toBeCloseTo(0.0013, 12);
  });

  it('counts a stream cut after its 200 as a 502 with the error code of the SSE error event', async () => {
    const r = await sendDemoRequest(client, request('stream-cut', true), PRICES);
    expect(r).toMatchObject({ status: 502, errorType: 'stream_cut', requestId: expect.stringMatching(/^req-/), usage: null, costUsd: 0 });
  });

  it('records an error answer with its status, code and request id instead of throwing', async () => {
    const r = await sendDemoRequest(client, request('unavailable'), PRICES);
    expect(r).toMatchObject({ status: 503, errorType: 'no_healthy_upstream', costUsd: 0, costSource: 'header', overheadMs: 0.5, modelUsed: null });
    expect(r.requestId).toMatch(/^req-/);
  });

  it('records an unreachable gateway as status 0', async () => {
    const dead = new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', maxRetries: 0 });
    const r = await sendDemoRequest(dead, request('ok'), PRICES);
    expect(r).toMatchObject({ status: 0, errorType: 'connection_error', requestId: null });
  });

  it('tags every request with the metadata the store keeps', () => {
    expect(demoMetadata(request('ok'))).toEqual({ source: 'aigw-demo', demo_task_type: prompt!.taskType, demo_template: prompt!.template });
  });
});
