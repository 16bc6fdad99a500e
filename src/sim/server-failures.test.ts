import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET, SimFleet } from './fleet.ts';
import { startSim, type SimServer } from './server.ts';

let sim: SimServer;
beforeAll(async () => {
  sim = await startSim({ fleet: DEFAULT_FLEET, timeScale: 0, seed: 1 });
});
afterAll(async () => {
  await sim.close();
});

const BODY = { model: 'sim-mini', messages: [{ role: 'user', content: 'Tell me a long story about a lighthouse keeper.' }] };

function post(headers: Record<string, string>, body: unknown = BODY, s: SimServer = sim, signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

/** Reads a body until it ends or breaks; returns what arrived and whether it broke. */
async function readAll(res: Response): Promise<{ text: string; broken: boolean }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, broken: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, broken: true };
  }
}

describe('sim server, injected failures', () => {
  it('fails the first N requests of a fail key, then succeeds; keys are independent', async () => {
    const headers = { 'x-sim-fail': '500', 'x-sim-fail-times': '2', 'x-sim-fail-key': 'test-a' };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(headers)).status);
    expect(statuses).toEqual([500, 500, 200, 200]);
    expect((await post({ ...headers, 'x-sim-fail-key': 'test-b' })).status).toBe(500);
    const failed = await post({ ...headers, 'x-sim-fail-key': 'test-c' });
    expect(failed.headers.get('x-sim')).toBe('simulated');
    expect(await failed.json()).toEqual({ error: { message: expect.any(String), type: 'server_error', param: null, code: null } });
  });

  it('sends 429 with the requested retry-after in OpenAI shape', async () => {
    const res = await post({ 'x-sim-fail': '429', 'x-sim-retry-after': '3' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
  });

  it('timeout: never answers, until the client gives up', async () => {
    const started = performance.now();
    await expect(post({ 'x-sim-fail': 'timeout' }, BODY, sim, AbortSignal.timeout(300))).rejects.toThrow(/abort|timeout/i);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('cut: sends part of a stream, then drops the connection before [DONE]', async () => {
    const res = await post({ 'x-sim-fail': 'cut' }, { ...BODY, stream: true });
    expect(res.status).toBe(200);
    const { text, broken } = await readAll(res);
    expect(broken).toBe(true);
    expect(text).toContain('data: {');
    expect(text).not.toContain('[DONE]');
  });

  it('cut: a non-stream body is truncated and the connection dropped', async () => {
    const res = await post({ 'x-sim-fail': 'cut' });
    const { text, broken } = await readAll(res);
    expect(broken).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow();
  });

  it('connection: drops the socket before any response', async () => {
    await expect(post({ 'x-sim-fail': 'connection' })).rejects.toThrow();
    expect((await post({})).status).toBe(200);
  });

  it('rejects malformed control headers with a 400', async () => {
    const res = await post({ 'x-sim-fail': 'sometimes' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('x-sim-fail') } });
  });

  it('fails a seeded, reproducible share error_rate of requests with 500s and 429s + retry-after', async () => {
    const base = DEFAULT_FLEET.models[1]!;
    const fleet = SimFleet.parse({
      name: 'flaky',
      // Instant answers: only retry-after should feel timeScale here.
      models: [
        { ...base, id: 'sim-flaky', ttft_ms: 0, output_tokens_per_s: 1e9, error_rate: 0.3, error_mix: { server_error: 1, rate_limited: 1, retry_after_s: 2 } },
      ],
    });
    const run = async () => {
      const s = await startSim({ fleet, timeScale: 0.5, seed: 5 });
      const out: string[] = [];
      try {
        for (let i = 0; i < 120; i++) {
          const res = await post({}, { ...BODY, model: 'sim-flaky' }, s);
          await res.arrayBuffer();
          out.push(res.status === 429 ? `429:${res.headers.get('retry-after')}` : String(res.status));
        }
      } finally {
        await s.close();
      }
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const failures = first.filter((s) => s !== '200');
    expect(failures.length / first.length).toBeGreaterThan(0.15);
    expect(failures.length / first.length).toBeLessThan(0.45);
    expect(new Set(failures)).toEqual(new Set(['500', '429:1']));
  });
});
