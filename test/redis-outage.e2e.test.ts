import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';
import { createApiKey } from '../src/auth/manage-keys.ts';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { capturingLogger, type CapturedLog } from './helpers/log-capture.ts';
import { startOwnRedis, type OwnService } from './helpers/own-services.ts';
import { RELIABLE_FLEET } from './helpers/test-stack.ts';
import { SHARED_DATABASE_URL, dropSharedSchema } from './helpers/shared-services.ts';

/**
 * Issue 15, finding 2: with Redis down, keys with a budget or an rpm limit got HTTP 500 after
 * 1.2–3.4 s each, /health did not mention Redis and stderr filled with ioredis stack traces. Two
 * replicas share PostgreSQL (own schema) and a Redis of this test's own, which it stops and starts.
 */
const DATABASE_URL = SHARED_DATABASE_URL;
const schema = `aigw_redis_outage_${Date.now().toString(36)}_${process.pid}`;

let redis: OwnService;
let sim: SimServer;
const replicas: Array<{ gw: RunningGateway; lines: CapturedLog[] }> = [];

beforeAll(async () => {
  [redis, sim] = await Promise.all([startOwnRedis(), startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 0 })]);
  const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
  for (let i = 0; i < 2; i++) {
    const dir = mkdtempSync(join(tmpdir(), `aigw-redis-outage-${i}-`));
    writeFileSync(
      join(dir, 'aigw.yaml'),
      JSON.stringify({
        providers: catalog.providers,
        models: catalog.models,
        store: { pg_schema: schema, flush_interval_ms: 20 },
        resilience: { redis_fallback_share: 0.5 },
      }),
    );
    const { logger, lines } = capturingLogger();
    const env = { DATABASE_URL, REDIS_URL: redis.url, AIGW_REDIS_PREFIX: 'aigw-outage:' };
    replicas.push({ gw: await startGateway({ cwd: dir, port: 0, simulated: false, env, logger }), lines });
  }
}, 60_000);

afterAll(async () => {
  for (const r of replicas) await r.gw.shutdown().catch(() => undefined);
  await sim?.close();
  await redis?.remove();
  await dropSharedSchema(schema);
});

async function chat(url: string, key: string) {
  const started = Date.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }], max_tokens: 20 }),
  });
  const body = (await res.json()) as { error?: { code: string | null } };
  return { status: res.status, code: body.error?.code ?? null, ms: Date.now() - started };
}

const health = async (url: string) => (await (await fetch(`${url}/health`)).json()) as { status: string; degraded: string[] };

describe('Redis outage', () => {
  it('budgets and rate limits hold per replica on a share of each limit, then return to Redis', async () => {
    const consoleErrors = vi.spyOn(console, 'error');
    const [a, b] = replicas.map((r) => r.gw) as [RunningGateway, RunningGateway];
    const { key: budgetKey } = await createApiKey(a.runtime.gateway.store, { name: 'budgeted', budget_daily_usd: 1, budget_monthly_usd: 10 });
    const { key: rpmKey } = await createApiKey(a.runtime.gateway.store, { name: 'limited', rpm_limit: 4 });
    a.runtime.gateway.keysChanged();
    expect((await chat(a.url, budgetKey)).status).toBe(200);
    expect((await chat(b.url, budgetKey)).status).toBe(200);

    await redis.stop();
    const during = [];
    for (let i = 0; i < 10; i++) during.push(await chat(i % 2 ? b.url : a.url, budgetKey));
    expect(during.map((r) => r.status)).toEqual(during.map(() => 200));
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(1_000);
    // rpm 4 with a 0.5 share: each replica alone admits 2 a minute, the third is refused.
    const limited = [await chat(a.url, rpmKey), await chat(a.url, rpmKey), await chat(a.url, rpmKey)];
    expect(limited.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(limited[2]?.code).toBe('rate_limit_exceeded');
    expect(await health(a.url)).toMatchObject({ status: 'degraded', degraded: ['redis'] });
    expect(await (await fetch(`${b.url}/metrics`)).text()).toMatch(/aigw_dependency_up\{component="redis"\} 0/);

    await redis.start();
    const deadline = Date.now() + 15_000;
    while ((await health(a.url)).status !== 'ok' || (await health(b.url)).status !== 'ok') {
      if (Date.now() > deadline) throw new Error('replicas did not see Redis come back');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await chat(b.url, budgetKey)).status).toBe(200);
    expect((await chat(a.url, budgetKey)).status).toBe(200);

    for (const { lines } of replicas) {
      expect(lines.filter((l) => l.component === 'redis').map((l) => l.msg)).toEqual(['redis is unreachable: serving degraded', 'redis is reachable again']);
      expect(lines.filter((l) => l.err?.stack).map((l) => l.msg)).toEqual([]);
    }
    expect(consoleErrors.mock.calls.filter((c) => String(c[0]).includes('Unhandled error event'))).toEqual([]);
    consoleErrors.mockRestore();
  }, 60_000);
});
