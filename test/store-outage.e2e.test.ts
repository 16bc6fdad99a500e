import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../src/gateway/serve.ts';
import { createApiKey } from '../src/auth/manage-keys.ts';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { openStore } from '../src/store/open-store.ts';
import { capturingLogger, type CapturedLog } from './helpers/log-capture.ts';
import { startOwnPostgres, type OwnService } from './helpers/own-services.ts';
import { RELIABLE_FLEET } from './helpers/test-stack.ts';

/**
 * Issue 15, finding 1: a PostgreSQL outage stopped all traffic (500 once a key's cache entry
 * expired; at once with no keys) while /health said ok. These run a PostgreSQL of their own, stop it
 * mid-traffic and start it again: the gateway keeps answering, says `degraded`, spools its rows and
 * replays them after recovery — also when it restarts during the outage — each row exactly once.
 */
let pg: OwnService;
let sim: SimServer;
const opened: RunningGateway[] = [];

beforeAll(async () => {
  [pg, sim] = await Promise.all([startOwnPostgres(), startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 0 })]);
}, 60_000);

afterAll(async () => {
  for (const g of opened) await g.shutdown().catch(() => undefined);
  await sim?.close();
  await pg?.remove();
});

async function gatewayIn(dir: string, schema: string, logger = capturingLogger()) {
  const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
  writeFileSync(
    join(dir, 'aigw.yaml'),
    JSON.stringify({
      providers: catalog.providers,
      models: catalog.models,
      store: { pg_schema: schema, flush_interval_ms: 20 },
      // A short TTL, so the outage outlasts it: entries must be served stale, not dropped.
      resilience: { key_cache_ttl_ms: 300, store_timeout_ms: 500 },
    }),
  );
  const gw = await startGateway({ cwd: dir, port: 0, simulated: false, env: { DATABASE_URL: pg.url }, logger: logger.logger });
  opened.push(gw);
  return { gw, lines: logger.lines };
}

async function chat(url: string, key: string | undefined, i: number) {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: `request ${i}: say hello` }], max_tokens: 20 }),
  });
  const body = (await res.json()) as { error?: { type: string; code: string | null } };
  return { status: res.status, id: res.headers.get('x-aigw-request-id'), retryAfter: res.headers.get('retry-after'), body };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

async function storedIds(schema: string, ids: readonly string[]): Promise<Map<string, number>> {
  const store = await openStore({ databaseUrl: pg.url, dir: tmpdir(), schema });
  try {
    const all = await store.listRequestIds();
    const counts = new Map<string, number>();
    for (const id of all) counts.set(id, (counts.get(id) ?? 0) + 1);
    return new Map(ids.map((id) => [id, counts.get(id) ?? 0]));
  } finally {
    await store.close();
  }
}

function storeStateLines(lines: readonly CapturedLog[]): string[] {
  return lines.filter((l) => l.component === 'store').map((l) => l.msg ?? '');
}

describe('PostgreSQL outage', () => {
  it('keeps answering (with keys and without), says degraded, and writes every row once after recovery', async () => {
    const keyed = await gatewayIn(mkdtempSync(join(tmpdir(), 'aigw-pg-keyed-')), 'outage_keyed');
    const open = await gatewayIn(mkdtempSync(join(tmpdir(), 'aigw-pg-open-')), 'outage_open');
    const { key } = await createApiKey(keyed.gw.runtime.gateway.store, { name: 'app' });
    keyed.gw.runtime.gateway.keysChanged();
    const answered: string[] = [];
    const answeredOpen: string[] = [];
    expect((await chat(keyed.gw.url, key, 0)).status).toBe(200);

    await pg.stop();
    const during: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const [a, b] = await Promise.all([chat(keyed.gw.url, key, i), chat(open.gw.url, undefined, i)]);
      during.push(a.status, b.status);
      if (a.status === 200 && a.id) answered.push(a.id);
      if (b.status === 200 && b.id) answeredOpen.push(b.id);
      await sleep(100); // ~2 s of traffic, well past the 300 ms key cache TTL
    }
    expect(during.every((s) => s === 200)).toBe(true);

    // A key this replica has never seen cannot be checked: 503, OpenAI-shaped, with retry-after.
    const unknown = await chat(keyed.gw.url, 'aigw_never-seen-before-0000000000000000000000', 99);
    expect(unknown.status).toBe(503);
    expect(unknown.body.error).toMatchObject({ type: 'service_unavailable', code: 'service_unavailable' });
    expect(Number(unknown.retryAfter)).toBeGreaterThan(0);

    const health = (await (await fetch(`${keyed.gw.url}/health`)).json()) as { status: string; degraded: string[] };
    expect(health).toMatchObject({ status: 'degraded', degraded: ['store'] });
    const metrics = await (await fetch(`${keyed.gw.url}/metrics`)).text();
    expect(metrics).toMatch(/aigw_dependency_up\{component="store"\} 0/);
    expect(metrics).toMatch(/aigw_store_spool_batches [1-9]/);
    expect(keyed.gw.runtime.gateway.writer.counters.spoolSegments).toBeGreaterThan(0);

    await pg.start();
    await waitFor(() => keyed.gw.runtime.gateway.writer.counters.spoolSegments === 0 && open.gw.runtime.gateway.writer.counters.spoolSegments === 0, 20_000);
    await keyed.gw.runtime.gateway.writer.flush();
    await open.gw.runtime.gateway.writer.flush();
    expect((await chat(keyed.gw.url, key, 100)).status).toBe(200);
    const healthAfter = (await (await fetch(`${keyed.gw.url}/health`)).json()) as { status: string };
    expect(healthAfter.status).toBe('ok');

    const counts = await storedIds('outage_keyed', answered);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const openCounts = await storedIds('outage_open', answeredOpen);
    expect([...openCounts.values()].every((n) => n === 1)).toBe(true);

    // One line when the store went away and one when it came back; no stack per request.
    expect(storeStateLines(keyed.lines)).toEqual(['store is unreachable: serving degraded', 'store is reachable again']);
    expect(keyed.lines.filter((l) => l.err?.stack).map((l) => l.msg)).toEqual([]);
  }, 90_000);

  it('a replica restarted during the outage replays the rows it spooled, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aigw-pg-restart-'));
    const first = await gatewayIn(dir, 'outage_restart');
    await pg.stop();
    const answered: string[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await chat(first.gw.url, undefined, i);
      expect(r.status).toBe(200);
      if (r.id) answered.push(r.id);
    }
    await first.gw.shutdown();
    expect(first.lines.some((l) => l.msg?.startsWith('store unreachable at shutdown: rows spooled to disk'))).toBe(true);

    await pg.start();
    const second = await gatewayIn(dir, 'outage_restart');
    await waitFor(() => second.gw.runtime.gateway.writer.counters.spoolSegments === 0, 20_000);
    const counts = await storedIds('outage_restart', answered);
    expect([...counts.values()]).toEqual(answered.map(() => 1));
  }, 90_000);
});
