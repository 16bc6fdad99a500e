import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoRequest } from './demo-plan.ts';
import { runDemoTraffic } from './demo-traffic.ts';
import { startFakeGateway, type FakeGateway } from './fake-gateway.test-support.ts';
import { generateDemoPrompts } from './prompts.ts';

let fake: FakeGateway | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function requests(n: number): DemoRequest[] {
  return generateDemoPrompts(n, 1).map((prompt, index) => ({ index, prompt, model: index % 5 === 4 ? 'unavailable' : 'ok', stream: false }));
}

describe('runDemoTraffic', () => {
  it('keeps at most `concurrency` requests in flight and returns results in request order', async () => {
    fake = await startFakeGateway(15);
    const client = new OpenAI({ baseURL: fake.url, apiKey: 'k', maxRetries: 0 });
    const seen: number[] = [];
    const results = await runDemoTraffic(client, requests(20), { concurrency: 4, prices: new Map(), onResult: (r) => seen.push(r.index) });
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(seen.sort((a, b) => a - b)).toEqual(results.map((r) => r.index));
    expect(fake.maxInFlight).toBe(4);
    expect(results.filter((r) => r.status === 503)).toHaveLength(4);
  });

  it('stops sending when aborted and returns only what was sent', async () => {
    fake = await startFakeGateway(10);
    const client = new OpenAI({ baseURL: fake.url, apiKey: 'k', maxRetries: 0 });
    const stop = new AbortController();
    const results = await runDemoTraffic(client, requests(50), {
      concurrency: 2,
      prices: new Map(),
      signal: stop.signal,
      onResult: (r) => r.index === 5 && stop.abort(),
    });
    expect(results.length).toBeGreaterThanOrEqual(6);
    expect(results.length).toBeLessThan(10);
    // Nothing new is sent after the abort; the request still in flight is cut off client-side.
    expect(fake.received).toBeLessThanOrEqual(results.length);
    for (const r of results) expect(r.status === 200 || r.status === 503 || r.errorType === 'aborted').toBe(true);
  });

  it('rejects a concurrency below one', async () => {
    const client = new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' });
    await expect(runDemoTraffic(client, [], { concurrency: 0, prices: new Map() })).rejects.toThrow(RangeError);
  });
});
