import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { sumUsd } from '../../costs/cost.ts';
import { createApiKey } from '../../auth/manage-keys.ts';
import { startGateway } from '../../gateway/serve.ts';
import { openStore } from '../../store/open-store.ts';
import type { RequestRow } from '../../store/types.ts';
import { runDemoTraffic } from './demo-traffic.ts';
import { DemoSetupError } from './gateway-catalog.ts';
import { generateDemoPrompts } from './prompts.ts';
import { DEMO_STORE_DIR, runDemo } from './run-demo.ts';

const dirs: string[] = [];
function tempCwd(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-demo-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function storedRows(cwd: string, dir = DEMO_STORE_DIR): Promise<RequestRow[]> {
  const store = await openStore({ dir: join(cwd, dir) });
  try {
    const rows = await Promise.all((await store.listRequestIds()).map((id) => store.getRequest(id)));
    return rows.filter((r): r is RequestRow => r !== undefined);
  } finally {
    await store.close();
  }
}

const quiet = { env: {}, timeScale: 0, progress: false, log: () => {} };

describe('runDemo', () => {
  it('starts gateway and simulated fleet in the working directory, and every request lands in its own store', async () => {
    const cwd = tempCwd();
    const run = await runDemo({ ...quiet, cwd, requests: 20, concurrency: 4 });

    expect(run.startedGateway).toBe(true);
    // Not ./data/aigw.db, which a real gateway started here would use.
    expect(run.storeDescription).toBe(`sqlite ${join('data', 'demo', 'aigw.db')}`);
    expect(await storedRows(cwd, 'data')).toHaveLength(0);
    expect(run.results).toHaveLength(20);
    expect(run.summary.simulated).toBe(true);
    expect(new Set(run.results.map((r) => r.taskType)).size).toBe(10);

    const rows = await storedRows(cwd);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(20);
    expect(run.summary.requests).toBe(rows.length);
    expect(run.summary.ok).toBe(rows.filter((r) => r.status === 200).length);
    for (const result of run.results) {
      const row = byId.get(result.requestId ?? '');
      expect(row, result.promptId).toBeDefined();
      expect(row!.model_requested).toBe(result.modelRequested);
      expect(row!.stream).toBe(result.stream);
      expect(row!.status).toBe(result.status);
      if (result.status === 200) expect(row!.model_used).toBe(result.modelUsed);
      expect(JSON.parse(row!.metadata ?? '{}')).toEqual({ source: 'aigw-demo', demo_task_type: result.taskType, demo_template: result.template });
      // Headers carry cost to 1e-10 USD; streamed costs are recomputed from usage with the same prices.
      expect(result.costUsd).toBeCloseTo(row!.cost_usd, 9);
    }
    expect(run.summary.totalCostUsd).toBeCloseTo(sumUsd(rows.map((r) => r.cost_usd)), 8);
    expect(run.summary.totalCostUsd).toBeGreaterThan(0);
    for (const m of run.summary.modelsUsed) {
      expect(m.requests, m.model).toBe(rows.filter((r) => r.model_used === m.model).length);
    }
    expect(run.summary.baseline?.model).toBe('sim-reasoner');
    expect(run.summary.baseline!.costUsd).toBeGreaterThan(run.summary.totalCostUsd);
  });

  it('targets a running gateway with --url, and counts failed requests with their own rows', async () => {
    const cwd = tempCwd();
    const gateway = await startGateway({ cwd, port: 0, env: {}, logger: pino({ level: 'silent' }), simTimeScale: 0 });
    try {
      const run = await runDemo({ ...quiet, cwd: tempCwd(), url: `${gateway.url}/v1`, requests: 10, concurrency: 3 });
      expect(run.startedGateway).toBe(false);
      expect(run.storeDescription).toBeUndefined();
      expect(run.gatewayUrl).toBe(gateway.url);

      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'none', maxRetries: 0 });
      const [prompt] = generateDemoPrompts(1, 4);
      const [failed] = await runDemoTraffic(client, [{ index: 0, prompt: prompt!, model: 'no-such-model', stream: false }], {
        concurrency: 1,
        prices: new Map(),
      });
      expect(failed).toMatchObject({ status: 404, errorType: 'model_not_found', costUsd: 0 });
      expect(failed!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await gateway.shutdown();
    }
    const rows = await storedRows(cwd, 'data');
    expect(rows).toHaveLength(11);
    expect(rows.filter((r) => r.status === 404).map((r) => r.model_requested)).toEqual(['no-such-model']);
  });

  it('refuses to spend on real providers unless allowed, before sending anything', async () => {
    const cwd = tempCwd();
    writeFileSync(
      join(cwd, 'aigw.yaml'),
      JSON.stringify({
        providers: [{ id: 'acme', type: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key_env: 'ACME_KEY' }],
        models: [{ id: 'acme-1', provider: 'acme', pricing: { input: 1, output: 2 }, context_window: 8_000, max_output_tokens: 1_000 }],
      }),
    );
    const attempt = runDemo({ ...quiet, cwd, env: { ACME_KEY: 'secret' }, requests: 5 });
    await expect(attempt).rejects.toBeInstanceOf(DemoSetupError);
    await expect(attempt).rejects.toThrow(/real models \(acme-1\).*--allow-real-providers/);
    expect(await storedRows(cwd)).toHaveLength(0);
  });

  it('stops early when interrupted, still shutting the gateway down with every answered request stored', async () => {
    const cwd = tempCwd();
    const interrupt = new AbortController();
    const abortSoonAfterSending = (line: string) => {
      if (line.startsWith('Sending')) setTimeout(() => interrupt.abort(), 300);
    };
    const run = await runDemo({ ...quiet, log: abortSoonAfterSending, cwd, timeScale: 0.05, requests: 300, concurrency: 4, signal: interrupt.signal });
    expect(run.interrupted).toBe(true);
    expect(run.planned).toBe(300);
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThan(300);
    expect(run.summary.requests).toBe(run.results.length);
    const ids = new Set((await storedRows(cwd)).map((r) => r.id));
    for (const r of run.results.filter((x) => x.status === 200)) expect(ids.has(r.requestId ?? '')).toBe(true);
  });

  it('writes where it is told (storeDir, else AIGW_STORE_DIR)', async () => {
    const cwd = tempCwd();
    expect((await runDemo({ ...quiet, cwd, requests: 2, storeDir: 'elsewhere' })).storeDescription).toBe(`sqlite ${join('elsewhere', 'aigw.db')}`);
    expect(await storedRows(cwd, 'elsewhere')).toHaveLength(2);
    expect((await runDemo({ ...quiet, cwd, requests: 2, env: { AIGW_STORE_DIR: 'data' } })).storeDir).toBe('data');
    expect(await storedRows(cwd, 'data')).toHaveLength(2);
  });

  it('asks for an API key once the store has keys, and uses the one it is given', async () => {
    const cwd = tempCwd();
    const store = await openStore({ dir: join(cwd, DEMO_STORE_DIR) });
    const { key } = await createApiKey(store, { name: 'demo' });
    await store.close();

    await expect(runDemo({ ...quiet, cwd, requests: 2 })).rejects.toThrow(/--api-key or set AIGW_API_KEY/);
    const run = await runDemo({ ...quiet, cwd, requests: 3, env: { AIGW_API_KEY: key } });
    expect(run.results.every((r) => r.status !== 401)).toBe(true);
    expect((await storedRows(cwd)).filter((r) => r.key_id !== null)).toHaveLength(3);
  });
});
