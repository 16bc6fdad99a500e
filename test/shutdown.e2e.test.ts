import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { openStore } from '../src/store/open-store.ts';
import { spawnGateway } from './helpers/spawn-gateway.ts';
import { RELIABLE_FLEET } from './helpers/test-stack.ts';
import { startChatTraffic } from './helpers/chat-traffic.ts';

let sim: SimServer | undefined;
afterAll(async () => {
  await sim?.close();
});

describe('graceful shutdown', () => {
  it('SIGTERM under load: in-flight requests finish and every answered request has its row', async () => {
    // Slow enough that requests are in flight when the signal arrives.
    sim = await startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 0.2 });
    const dir = mkdtempSync(join(tmpdir(), 'aigw-shutdown-'));
    const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
    writeFileSync(join(dir, 'aigw.yaml'), JSON.stringify({ providers: catalog.providers, models: catalog.models }));
    const gw = spawnGateway(dir);
    const url = await gw.url;

    const traffic = startChatTraffic(url, 8);
    const answered = traffic.answered;
    // Signal once enough answers are in (at least 1.5 s of traffic), however loaded the machine is.
    const startedAt = Date.now();
    while (answered.length <= 20 || Date.now() - startedAt < 1500) await new Promise((r) => setTimeout(r, 50));
    gw.child.kill('SIGTERM');
    const code = await gw.exited;
    await traffic.stop();

    expect(code).toBe(0);
    expect(answered.length).toBeGreaterThan(20);
    const store = await openStore({ dir: join(dir, 'data') });
    try {
      const ids = new Set(await store.listRequestIds());
      const missing = answered.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
