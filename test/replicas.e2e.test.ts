import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';
import { createApiKey } from '../src/auth/manage-keys.ts';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { RELIABLE_FLEET } from './helpers/test-stack.ts';
import { deleteSharedRedisKeys, dropSharedSchema, SHARED_DATABASE_URL, SHARED_REDIS_URL } from './helpers/shared-services.ts';

/**
 * The multi-replica mode: two gateway replicas share one PostgreSQL (spend log, keys) and one Redis
 * (budget reservations, rate limits). A burst split across both must not overspend a key's budget.
 */
const DATABASE_URL = SHARED_DATABASE_URL;
const REDIS_URL = SHARED_REDIS_URL;
const runId = `${Date.now().toString(36)}_${process.pid}`;
const schema = `aigw_replicas_${runId}`;
const redisPrefix = `aigw-test:${runId}:`;

let sim: SimServer;
let replicas: RunningGateway[] = [];

beforeAll(async () => {
  sim = await startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 0 });
  const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
  const env = { DATABASE_URL, REDIS_URL, AIGW_REDIS_PREFIX: redisPrefix };
  for (let i = 0; i < 2; i++) {
    const dir = mkdtempSync(join(tmpdir(), `aigw-replica-${i}-`));
    writeFileSync(
      join(dir, 'aigw.yaml'),
      JSON.stringify({ providers: catalog.providers, models: catalog.models, store: { pg_schema: schema, flush_interval_ms: 20 } }),
    );
    replicas.push(await startGateway({ cwd: dir, port: 0, simulated: false, env, logger: pino({ level: 'silent' }) }));
  }
});

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.shutdown()));
  replicas = [];
  await sim?.close();
  await dropSharedSchema(schema);
  await deleteSharedRedisKeys(redisPrefix);
});

describe('two replicas on PostgreSQL and Redis', () => {
  it('share keys, the spend log and one budget', async () => {
    const [a, b] = replicas as [RunningGateway, RunningGateway];
    expect(a.runtime.gateway.store.dialect).toBe('postgres');
    const budgetUsd = 0.0002;
    const { key } = await createApiKey(a.runtime.gateway.store, { name: 'shared', budget_daily_usd: budgetUsd });
    a.runtime.gateway.keysChanged();
    b.runtime.gateway.keysChanged();

    const clients = [a, b].map((r) => new OpenAI({ baseURL: `${r.url}/v1`, apiKey: key, maxRetries: 0 }));
    const results = await Promise.allSettled(
      Array.from({ length: 80 }, (_, i) =>
        clients[i % 2]!.chat.completions.create({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50 }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected' && r.reason instanceof OpenAI.RateLimitError).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok + refused).toBe(80);
    expect(refused).toBeGreaterThan(0);

    await Promise.all(replicas.map((r) => r.runtime.gateway.writer.flush()));
    const store = a.runtime.gateway.store;
    expect(await store.countRequests()).toBe(80);
    const keyRow = (await store.listApiKeys()).find((k) => k.name === 'shared');
    const spentUsd = await store.sumKeySpendSince(keyRow?.id ?? '', 0);
    expect(spentUsd).toBeGreaterThan(0);
    expect(spentUsd).toBeLessThanOrEqual(budgetUsd);
  });
});
