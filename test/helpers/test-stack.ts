import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import type { GatewayConfigInput } from '../../src/config/schema.ts';
import { startGateway, type RunningGateway } from '../../src/gateway/serve.ts';
import { DEFAULT_FLEET, fleetCatalog, SimFleet } from '../../src/sim/fleet.ts';
import { startSim, type SimServer } from '../../src/sim/server.ts';

/** The default simulated fleet without random failures, so tests decide every failure themselves. */
export const RELIABLE_FLEET: SimFleet = SimFleet.parse({
  ...DEFAULT_FLEET,
  models: DEFAULT_FLEET.models.map((m) => ({ ...m, error_rate: 0 })),
});

/** The config's models with `fallbacks` set on one of them. */
export function withFallbacks(models: GatewayConfigInput['models'], modelId: string, fallbacks: string[]): GatewayConfigInput['models'] {
  return models?.map((m) => (m.id === modelId ? { ...m, fallbacks } : m));
}

export interface TestStack {
  sim: SimServer;
  gateway: RunningGateway;
  dir: string;
  url: string;
  client: OpenAI;
  clientWithKey(key: string): OpenAI;
  /** The stored row of a request, after the batched writer has flushed. */
  rowOf(requestId: string | null): ReturnType<RunningGateway['runtime']['gateway']['store']['getRequest']>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** Changes to the generated config (merged shallowly per top-level section). */
  config?: (base: GatewayConfigInput) => GatewayConfigInput;
  env?: NodeJS.ProcessEnv;
  simTimeScale?: number;
  /** The gateway's logger (default: silent). */
  logger?: pino.Logger;
}

/** A simulated upstream plus a gateway on random ports, with its own store directory and config file. */
export async function startTestStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const sim = await startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: opts.simTimeScale ?? 0 });
  const dir = mkdtempSync(join(tmpdir(), 'aigw-test-'));
  const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
  const base: GatewayConfigInput = {
    providers: catalog.providers,
    models: catalog.models,
    reliability: { max_retries: 2, backoff_base_ms: 1, backoff_max_ms: 5, breaker: { failure_threshold: 50, cooldown_ms: 1000 } },
    store: { flush_interval_ms: 20 },
  };
  const config = opts.config ? opts.config(base) : base;
  writeFileSync(join(dir, 'aigw.yaml'), JSON.stringify(config, null, 2));
  const gateway = await startGateway({
    cwd: dir,
    port: 0,
    simulated: false,
    env: { ...opts.env },
    logger: opts.logger ?? pino({ level: 'silent' }),
  });
  const clientWithKey = (key: string) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  return {
    sim,
    gateway,
    dir,
    url: gateway.url,
    client: clientWithKey('no-key-needed'),
    clientWithKey,
    async rowOf(requestId) {
      if (!requestId) throw new Error('the response carried no x-aigw-request-id');
      await gateway.runtime.gateway.writer.flush();
      return gateway.runtime.gateway.store.getRequest(requestId);
    },
    async close() {
      await gateway.shutdown();
      await sim.close();
    },
  };
}

export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown>; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (an SSE stream): callers read `text`
  }
  return { status: res.status, headers: res.headers, json, text };
}
