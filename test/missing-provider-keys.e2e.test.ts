import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { capturingLogger } from './helpers/log-capture.ts';
import { postJson, RELIABLE_FLEET } from './helpers/test-stack.ts';

/**
 * Issue 15, finding 7: with the README's aigw.yaml and no keys exported, /v1/models listed only the
 * simulated fleet and gpt-4o-mini was a 404 naming no variable; with only OPENAI_API_KEY, the
 * Anthropic models stayed routable. Here both providers point at the simulator (so nothing leaves
 * the machine) and name the README's variables.
 */
let sim: SimServer;
const running: RunningGateway[] = [];

beforeAll(async () => {
  sim = await startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 0 });
});
afterAll(async () => {
  for (const g of running) await g.shutdown();
  await sim?.close();
});

async function gatewayWith(env: NodeJS.ProcessEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-keys-missing-'));
  const model = { pricing: { input: 0.15, output: 0.6 }, context_window: 128_000, max_output_tokens: 4096 };
  writeFileSync(
    join(dir, 'aigw.yaml'),
    JSON.stringify({
      providers: [
        { id: 'openai', type: 'openai', base_url: `${sim.url}/v1`, api_key_env: 'OPENAI_API_KEY' },
        { id: 'anthropic', type: 'anthropic', base_url: sim.url, api_key_env: 'ANTHROPIC_API_KEY' },
      ],
      models: [
        { id: 'gpt-4o-mini', provider: 'openai', upstream_model: 'sim-nano', ...model },
        { id: 'claude-3-5-haiku', provider: 'anthropic', upstream_model: 'sim-mini', ...model, pricing: { input: 0.1, output: 0.4 } },
      ],
    }),
  );
  const { logger, lines } = capturingLogger();
  const gw = await startGateway({ cwd: dir, port: 0, env, logger });
  running.push(gw);
  return { gw, lines };
}

interface ListedModel {
  id: string;
  aigw: { available?: boolean; unavailable_reason?: string; simulated?: boolean };
}

describe('missing provider keys', () => {
  it('no keys: the configured models stay listed as unavailable, no simulator, 503 naming the variable', async () => {
    const { gw, lines } = await gatewayWith({});
    expect(gw.simUrl).toBeUndefined();
    const models = ((await (await fetch(`${gw.url}/v1/models`)).json()) as { data: ListedModel[] }).data;
    const gpt = models.find((m) => m.id === 'gpt-4o-mini');
    expect(gpt?.aigw).toMatchObject({ available: false, unavailable_reason: 'environment variable OPENAI_API_KEY is not set' });
    expect(models.some((m) => m.id.startsWith('sim-'))).toBe(false);
    const res = await postJson(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status).toBe(503);
    expect(res.json['error']).toMatchObject({ type: 'service_unavailable', code: 'provider_key_missing', param: 'model' });
    expect((res.json['error'] as { message: string }).message).toContain('OPENAI_API_KEY');
    // Startup names each missing variable once.
    const named = lines.filter((l) => typeof l['env'] === 'string').map((l) => l['env']);
    expect(named.sort()).toEqual(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']);
  });

  it('only OPENAI_API_KEY: auto never routes to the Anthropic model, which answers 503 naming ANTHROPIC_API_KEY', async () => {
    const { gw } = await gatewayWith({ OPENAI_API_KEY: 'sk-test' });
    for (let i = 0; i < 10; i++) {
      const res = await postJson(`${gw.url}/v1/chat/completions`, {
        model: 'auto',
        messages: [{ role: 'user', content: `Classify the sentiment of review ${i}: great product.` }],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aigw-model')).toBe('gpt-4o-mini');
    }
    const claude = await postJson(`${gw.url}/v1/chat/completions`, { model: 'claude-3-5-haiku', messages: [{ role: 'user', content: 'hi' }] });
    expect(claude.status).toBe(503);
    expect((claude.json['error'] as { message: string }).message).toContain('ANTHROPIC_API_KEY');
  });
});
