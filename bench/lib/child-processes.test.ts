import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_FLEET, fleetCatalog, withoutErrors } from '../../src/sim/fleet.ts';
import { listeningUrlFromLogLine, startGatewayProcess, startSimProcess, type ServerProcess } from './child-processes.ts';
import { readGatewayRequestRows } from './gateway-request-rows.ts';

describe('listeningUrlFromLogLine', () => {
  it('reads the url of the gateway listening line only', () => {
    expect(listeningUrlFromLogLine('{"level":30,"url":"http://127.0.0.1:4321","msg":"aigw gateway listening"}')).toBe('http://127.0.0.1:4321');
    expect(listeningUrlFromLogLine('{"level":40,"url":"http://x","msg":"something else"}')).toBeUndefined();
    expect(listeningUrlFromLogLine('aigw gateway listening (not JSON)')).toBeUndefined();
  });
});

describe('sim and gateway child processes', () => {
  const started: ServerProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-children-'));
  afterAll(async () => {
    for (const p of started.reverse()) await p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serve a completion through the gateway to the simulator and log it to the store on exit', async () => {
    const sim = await startSimProcess(0);
    started.push(sim);
    const configPath = join(dir, 'aigw.yaml');
    writeFileSync(configPath, stringify(fleetCatalog(withoutErrors(DEFAULT_FLEET), sim.url)));
    const gateway = await startGatewayProcess({ cwd: dir, configPath });
    started.push(gateway);
    expect(gateway.pid).not.toBe(process.pid);

    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aigw-model')).toBe('sim-nano');
    await res.text();

    expect(await gateway.stop()).toBe(0);
    const rows = await readGatewayRequestRows(join(dir, 'data'));
    expect(rows.map((r) => [r.model_requested, r.status])).toEqual([['sim-nano', 200]]);
  }, 60_000);
});
