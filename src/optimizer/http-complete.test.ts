import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET } from '../sim/default-fleets.ts';
import { startSim, type SimServer } from '../sim/server.ts';
import { AIGW_COST_HEADER, httpComplete, HttpCompleteError, type HttpCompletionResult } from './http-complete.ts';

const question = 'Compute the value of 17 * 23. What is it?';
const request = { model: 'sim-mini', messages: [{ role: 'user' as const, content: question }] };
let sim: SimServer;

beforeAll(async () => {
  sim = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, seed: 0 });
});
afterAll(() => sim.close());

describe('httpComplete', () => {
  it('asks the endpoint for n choices in one request and prices them with the given prices', async () => {
    const before = sim.stats().requests;
    const complete = httpComplete({ baseUrl: `${sim.url}/v1`, request, pricing: { input: 0.15, output: 0.6 } });
    const r = (await complete({ label: 't', messages: request.messages, n: 3, temperature: 0.7, max_tokens: 300 })) as HttpCompletionResult;
    expect(sim.stats().requests - before).toBe(1);
    expect(r.texts).toHaveLength(3);
    expect(r.upstreamRequests).toBe(1);
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(r.costUsd).toBeCloseTo((r.usage.inputTokens * 0.15 + r.usage.outputTokens * 0.6) / 1e6, 12);
    expect(r.costSource).toBe('prices');
  });

  it('emulates n with parallel requests when told the endpoint lacks n, summing their usage', async () => {
    const before = sim.stats().requests;
    const complete = httpComplete({ baseUrl: sim.url, request: { ...request, model: 'sim-reasoner' }, supportsN: false });
    const r = (await complete({ label: 't', messages: request.messages, n: 3, temperature: 0.7, max_tokens: 50 })) as HttpCompletionResult;
    expect(sim.stats().requests - before).toBe(3);
    expect(r.upstreamRequests).toBe(3);
    expect(r.texts).toHaveLength(3);
    // Prompt tokens are paid once per request.
    const single = await complete({ label: 't', messages: request.messages, max_tokens: 50 });
    expect(r.usage.inputTokens).toBe(3 * single.usage.inputTokens);
    expect(r.costUsd).toBe(0);
    expect(r.costSource).toBe('unknown');
  });

  it('takes the cost from x-aigw-cost-usd when the endpoint is a gateway', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const sent = JSON.parse(body) as { max_tokens: number; temperature: number; model: string; n?: number };
        res.writeHead(200, { 'content-type': 'application/json', [AIGW_COST_HEADER]: '0.00125' });
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            created: 0,
            model: sent.model,
            choices: [
              { index: 0, message: { role: 'assistant', content: `max=${sent.max_tokens} t=${sent.temperature} n=${sent.n ?? 1}` }, finish_reason: 'stop' },
            ],
            usage: {
              prompt_tokens: 10,
              completion_tokens: 4,
              total_tokens: 14,
              prompt_tokens_details: { cached_tokens: 2 },
              completion_tokens_details: { reasoning_tokens: 1 },
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const complete = httpComplete({ baseUrl: url, apiKey: 'k', request: { ...request, temperature: 0.3 }, pricing: { input: 100, output: 100 } });
      const r = (await complete({ label: 't', messages: request.messages, max_tokens: 9 })) as HttpCompletionResult;
      expect(r.texts).toEqual(['max=9 t=0.3 n=1']);
      expect(r.usage).toEqual({ inputTokens: 10, cachedInputTokens: 2, cacheWriteTokens: 0, outputTokens: 4, reasoningTokens: 1 });
      expect(r.costUsd).toBe(0.00125);
      expect(r.costSource).toBe('aigw');
    } finally {
      server.close();
    }
  });

  it('throws with the status when the endpoint refuses', async () => {
    const complete = httpComplete({ baseUrl: sim.url, request: { ...request, model: 'no-such-model' } });
    await expect(complete({ label: 't', messages: request.messages })).rejects.toThrow(HttpCompleteError);
  });
});
