import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetCatalog } from '../src/sim/fleet.ts';
import { startSim, type SimServer } from '../src/sim/server.ts';
import { spawnGateway } from './helpers/spawn-gateway.ts';
import { RELIABLE_FLEET } from './helpers/test-stack.ts';

let sim: SimServer | undefined;
let stop: (() => void) | undefined;
afterAll(async () => {
  stop?.();
  await sim?.close();
});

const modelIds = async (url: string) => ((await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);

describe('SIGHUP reload', () => {
  it('swaps the config without dropping an in-flight stream, and refuses an invalid file', async () => {
    sim = await startSim({ fleet: RELIABLE_FLEET, port: 0, timeScale: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'aigw-reload-'));
    const catalog = fleetCatalog(RELIABLE_FLEET, sim.url);
    const configFile = join(dir, 'aigw.yaml');
    const withModels = (ids: string[]) => JSON.stringify({ providers: catalog.providers, models: catalog.models.filter((m) => ids.includes(m.id)) });
    writeFileSync(configFile, withModels(['sim-nano', 'sim-mini']));
    const gw = spawnGateway(dir);
    stop = () => gw.child.kill('SIGKILL');
    const url = await gw.url;
    expect(await modelIds(url)).not.toContain('sim-large');

    // A slow stream (sim-mini at time scale 1 takes over a second) is in flight during the reload.
    const inFlight = fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-mini', stream: true, messages: [{ role: 'user', content: 'Write a short poem.' }] }),
    }).then(async (res) => ({ status: res.status, text: await res.text() }));
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(configFile, withModels(['sim-nano', 'sim-mini', 'sim-large']));
    gw.child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    expect(await modelIds(url)).toContain('sim-large');
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(finished.text).toContain('[DONE]');

    writeFileSync(configFile, 'models: [ { id: broken, provider: nowhere } ]');
    gw.child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    expect(await modelIds(url)).toContain('sim-large');
    expect(gw.logs.some((l) => l.msg === 'configuration reload refused; keeping the previous one')).toBe(true);

    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
  }, 30_000);
});
