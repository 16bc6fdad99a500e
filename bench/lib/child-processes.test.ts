import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEFAULT_FLEET, fleetCatalog, withoutErrors } from '../../src/sim/fleet.ts';
import {
  freeLoopbackPort,
  startBareProxyProcess,
  listeningUrlFromLogLine,
  portkeyHeaders,
  startGatewayProcess,
  startPortkeyProcess,
  startScriptNodeFlags,
  startSimProcess,
  type ServerProcess,
} from './child-processes.ts';
import { readGatewayRequestRows } from './gateway-request-rows.ts';

describe('listeningUrlFromLogLine', () => {
  it('reads the url of the gateway listening line only', () => {
    expect(listeningUrlFromLogLine('{"level":30,"url":"http://127.0.0.1:4321","msg":"aigw gateway listening"}')).toBe('http://127.0.0.1:4321');
    expect(listeningUrlFromLogLine('{"level":40,"url":"http://x","msg":"something else"}')).toBeUndefined();
    expect(listeningUrlFromLogLine('aigw gateway listening (not JSON)')).toBeUndefined();
  });
});

describe('startScriptNodeFlags', () => {
  it("are the node flags of package.json's start script, the way users start the gateway", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    const flags = startScriptNodeFlags();
    expect(pkg.scripts.start).toBe(['node', ...flags, 'bin/aigw.mjs', 'serve'].join(' '));
    expect(flags).toContain('--max-semi-space-size=4');
    expect(flags).toContain('--no-parallel-scavenge');
  });
});

describe('portkeyHeaders', () => {
  it("sends the request to the upstream /v1 through Portkey's openai provider", () => {
    const want = { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': 'http://127.0.0.1:4321/v1' };
    expect(portkeyHeaders('http://127.0.0.1:4321')).toEqual(want);
    expect(portkeyHeaders('http://127.0.0.1:4321/')).toEqual(want);
  });
});

describe('freeLoopbackPort', () => {
  it('hands out a port nothing listens on', async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

describe('sim, gateway and Portkey child processes', () => {
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

  it('serve a JSON and a streamed completion through the bare proxy (the floor) to the simulator, with the given node flags', async () => {
    const sim = await startSimProcess(0);
    started.push(sim);
    const floor = await startBareProxyProcess({ upstreamUrl: sim.url, nodeFlags: ['--max-semi-space-size=4'] });
    started.push(floor);
    expect(floor.pid).not.toBe(process.pid);
    expect(readFileSync(`/proc/${floor.pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=4');
    const complete = (stream: boolean) =>
      fetch(`${floor.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) }),
      });
    const json = await complete(false);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json');
    expect(((await json.json()) as { model: string }).model).toBe('sim-nano');
    const streamed = await complete(true);
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamed.text()).toContain('data: [DONE]');
    // An unknown model: the upstream's error goes back as it came.
    const unknown = await fetch(`${floor.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'nope', messages: [] }) });
    expect(unknown.status).toBe(400);
    expect(await floor.stop()).toBe(0);
  }, 60_000);

  it('serve a JSON and a streamed completion through the Portkey gateway to the simulator', async () => {
    const sim = await startSimProcess(0);
    started.push(sim);
    const portkey = await startPortkeyProcess({ cwd: dir, upstreamUrl: sim.url });
    started.push(portkey);
    expect(portkey.pid).not.toBe(process.pid);
    expect(portkey.info).toMatchObject({ package: '@portkey-ai/gateway', headers: portkeyHeaders(sim.url) });
    expect(portkey.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(portkey.info.command).toMatch(/^node node_modules\/@portkey-ai\/gateway\/build\/start-server\.js --port=\d+ --headless$/);

    const complete = (stream: boolean) =>
      fetch(`${portkey.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...portkey.info.headers },
        body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hi' }], ...(stream ? { stream: true } : {}) }),
      });
    const json = await complete(false);
    expect(json.status).toBe(200);
    expect(((await json.json()) as { model: string }).model).toBe('sim-nano');
    // Streaming needs the pinned @hono/node-server (package.json overrides): later ones make Portkey answer 500.
    const streamed = await complete(true);
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain('data: [DONE]');
    await portkey.stop();
  }, 60_000);
});
