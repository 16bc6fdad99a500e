import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceKeyChange } from '../src/cli/open-configured-store.ts';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';
import { createApiKey } from '../src/auth/manage-keys.ts';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { startOverbillingUpstream } from './helpers/overbilling-upstream.ts';
import { RELIABLE_FLEET } from './helpers/test-stack.ts';
import { SHARED_DATABASE_URL, SHARED_REDIS_URL, deleteSharedRedisKeys, dropSharedSchema } from './helpers/shared-services.ts';

/**
 * Two replicas sharing PostgreSQL and Redis (own schema and key prefix). Issue 15:
 * finding 3 (a budget is a hard cap even when the upstream bills past max_tokens) and
 * finding 5 (a revocation on one replica reaches the other within 1 s).
 */
const DATABASE_URL = SHARED_DATABASE_URL;
const REDIS_URL = SHARED_REDIS_URL;
const ADMIN_KEY = 'hardening-admin-key-0123456789';
const runId = `${Date.now().toString(36)}_${process.pid}`;
const schema = `aigw_hardening_${runId}`;
const redisPrefix = `aigw-test:${runId}:`;
const env = { DATABASE_URL, REDIS_URL, AIGW_REDIS_PREFIX: redisPrefix, AIGW_ADMIN_KEY: ADMIN_KEY };

let sim: SimServer;
let upstream: Awaited<ReturnType<typeof startOverbillingUpstream>>;
let replicas: RunningGateway[] = [];
let dirs: string[] = [];

// $100 per 1M tokens in and out; the upstream bills 11 + 9 tokens whatever max_tokens says (the audit saw 11 + 6).
const PRICE = 100;
const REAL_COST_USD = ((11 + 9) * PRICE) / 1e6;

beforeAll(async () => {
  sim = await startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 0 });
  upstream = await startOverbillingUpstream({ promptTokens: 11, completionTokens: 9 });
  const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
  const config = {
    providers: [...catalog.providers, { id: 'ignorer', type: 'openai', base_url: upstream.url }],
    models: [
      ...catalog.models,
      { id: 'ignorer-1', provider: 'ignorer', pricing: { input: PRICE, output: PRICE }, context_window: 4096, max_output_tokens: 10 },
    ],
    store: { pg_schema: schema, flush_interval_ms: 20 },
  };
  for (let i = 0; i < 2; i++) {
    const dir = mkdtempSync(join(tmpdir(), `aigw-hardening-${i}-`));
    dirs.push(dir);
    writeFileSync(join(dir, 'aigw.yaml'), JSON.stringify(config));
    replicas.push(await startGateway({ cwd: dir, port: 0, simulated: false, env, logger: pino({ level: 'silent' }) }));
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.shutdown()));
  replicas = [];
  dirs = [];
  await sim?.close();
  await upstream?.close();
  await dropSharedSchema(schema);
  await deleteSharedRedisKeys(redisPrefix);
});

async function chat(url: string, key: string, model: string, maxTokens: number) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: maxTokens }),
  });
  const body = (await res.json()) as { error?: { code: string | null } };
  return { status: res.status, code: body.error?.code ?? null };
}

describe('two replicas on PostgreSQL + Redis', () => {
  it('a budget is a hard cap when the upstream ignores max_tokens (200 concurrent)', async () => {
    const [a, b] = replicas as [RunningGateway, RunningGateway];
    const budgetUsd = 0.01;
    const { key, row } = await createApiKey(a.runtime.gateway.store, { name: 'capped', budget_daily_usd: budgetUsd });
    a.runtime.gateway.keysChanged();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => chat((i % 2 ? b : a).url, key, 'ignorer-1', 1)));
    const ok = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => r.status === 429 && r.code === 'budget_exceeded').length;
    expect(ok).toBeGreaterThan(0);
    expect(ok + refused).toBe(200);
    await Promise.all(replicas.map((r) => r.runtime.gateway.writer.flush()));
    const spentUsd = await a.runtime.gateway.store.sumKeySpendSince(row.id, 0);
    expect(spentUsd).toBeCloseTo(ok * REAL_COST_USD, 9);
    expect(spentUsd).toBeLessThanOrEqual(budgetUsd + REAL_COST_USD);
    // Spent past the reservation is charged: once the ledger is at or past the limit nothing more is admitted.
    const after = await chat(a.url, key, 'ignorer-1', 1);
    if (spentUsd + REAL_COST_USD > budgetUsd) expect(after).toMatchObject({ status: 429, code: 'budget_exceeded' });
  }, 60_000);

  it('a key revoked on replica A is refused by replica B within 1 s', async () => {
    const [a, b] = replicas as [RunningGateway, RunningGateway];
    const created = await fetch(`${a.url}/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ name: 'to-revoke' }),
    });
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect((await chat(b.url, key, 'sim-nano', 5)).status).toBe(200); // B caches the key
    const revokedAt = Date.now();
    expect((await fetch(`${a.url}/admin/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_KEY}` } })).status).toBe(200);
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5_000) status = (await chat(b.url, key, 'sim-nano', 5)).status;
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });

  it('a key revoked from the CLI (store + announcement) is refused by both replicas within 1 s', async () => {
    const [a, b] = replicas as [RunningGateway, RunningGateway];
    const { key, row } = await createApiKey(a.runtime.gateway.store, { name: 'cli-revoke' });
    a.runtime.gateway.keysChanged();
    expect((await chat(a.url, key, 'sim-nano', 5)).status).toBe(200);
    expect((await chat(b.url, key, 'sim-nano', 5)).status).toBe(200);
    const revokedAt = Date.now();
    await a.runtime.gateway.store.revokeApiKey(row.id, revokedAt);
    expect(await announceKeyChange(dirs[0] ?? '', undefined, env)).toBe(true);
    const statuses = new Set<number>([200]);
    while (statuses.has(200) && Date.now() - revokedAt < 5_000) {
      statuses.clear();
      for (const r of [a, b]) statuses.add((await chat(r.url, key, 'sim-nano', 5)).status);
    }
    expect([...statuses]).toEqual([401]);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });
});
