import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimFleet } from './fleet.ts';
import { TokenClock } from './stream-plan.ts';
import { startSim, type SimServer } from './server.ts';

// 20-token answers ("x" prompts give prose answers; sd 0 fixes the length), 100 ms ttft, 100 tokens/s.
const fleet = SimFleet.parse({
  name: 'timed',
  models: [
    {
      id: 'sim-timed',
      tier: 'economy',
      pricing: { input: 0, output: 0 },
      ttft_ms: 100,
      output_tokens_per_s: 100,
      answer_tokens: { mean: 20, sd: 0 },
      accuracy: { default: 1 },
    },
  ],
});

let sim: SimServer;
let fast: SimServer;
beforeAll(async () => {
  sim = await startSim({ fleet, timeScale: 1 });
  fast = await startSim({ fleet, timeScale: 0.25 });
});
afterAll(async () => {
  await sim.close();
  await fast.close();
});

async function timeStream(s: SimServer): Promise<{ firstContentMs: number; totalMs: number; tokens: number }> {
  const started = performance.now();
  const res = await fetch(`${s.url}/v1/chat/completions`, {
    method: 'POST',
    body: JSON.stringify({ model: 'sim-timed', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hello' }] }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let firstContentMs = -1;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (firstContentMs < 0 && text.includes('"content":"S')) firstContentMs = performance.now() - started;
  }
  const usage = JSON.parse(text.split('\n\n').filter(Boolean).at(-2)!.slice(6)) as { usage: { completion_tokens: number } };
  return { firstContentMs, totalMs: performance.now() - started, tokens: usage.usage.completion_tokens };
}

describe('sim server latency', () => {
  it('streams the first token after ttft and the rest at output_tokens_per_s', async () => {
    const t = await timeStream(sim);
    expect(t.tokens).toBeGreaterThanOrEqual(20);
    expect(t.firstContentMs).toBeGreaterThanOrEqual(95);
    expect(t.firstContentMs).toBeLessThan(t.totalMs - 100);
    const expectedMs = 100 + (t.tokens / 100) * 1000;
    // Lower bounds only: a loaded machine delays timers, never advances them.
    expect(t.totalMs).toBeGreaterThanOrEqual(expectedMs - 15);
  });

  it('delays a non-stream answer by the whole generation time, scaled by timeScale', async () => {
    const time = async (s: SimServer) => {
      const started = performance.now();
      const res = await fetch(`${s.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'sim-timed', messages: [{ role: 'user', content: 'hello' }] }),
      });
      const body = (await res.json()) as { usage: { completion_tokens: number } };
      return { ms: performance.now() - started, expectedMs: 100 + body.usage.completion_tokens * 10 };
    };
    const full = await time(sim);
    expect(full.ms).toBeGreaterThanOrEqual(full.expectedMs - 15);
    const quarter = await time(fast);
    expect(quarter.ms).toBeGreaterThanOrEqual(quarter.expectedMs / 4 - 15);
  });

  it('scales every due time by timeScale', () => {
    const model = fleet.models[0]!;
    const real = new TokenClock(model, 8, 1);
    const scaled = new TokenClock(model, 8, 0.25);
    expect(real.firstMs()).toBe(100 + 8 * 10);
    expect(real.afterChars(80)).toBe(180 + 20 * 10);
    expect(scaled.firstMs()).toBe(real.firstMs() / 4);
    expect(scaled.afterChars(80)).toBe(real.afterChars(80) / 4);
  });
});
