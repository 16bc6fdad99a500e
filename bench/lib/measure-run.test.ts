import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { measureGroup } from './measure-run.ts';

async function okServer(seenHeaders: string[] = []): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    seenHeaders.push(String(req.headers['x-target'] ?? ''));
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('measureGroup', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

  it('visits the targets in turn for each round and merges each target’s slices', async () => {
    const a = await okServer();
    const b = await okServer();
    servers.push(a.server, b.server);
    const runs = await measureGroup({
      targets: [
        { target: 'direct', baseUrl: a.url, model: 'sim-mini', body: '{}' },
        { target: 'gateway-named', baseUrl: b.url, model: 'sim-mini', body: '{}' },
      ],
      stream: false,
      connections: 1,
      warmupS: 0,
      durationS: 2,
      rounds: 2,
      pauseMs: 10,
      pids: { loadGenerator: process.pid },
      ticksPerS: 100,
    });
    expect(runs.map((r) => r.run.target)).toEqual(['direct', 'gateway-named']);
    const [direct, named] = runs;
    expect(direct!.load.windows).toHaveLength(2);
    expect(named!.load.windows).toHaveLength(2);
    // direct slice 1, named slice 1, direct slice 2, named slice 2
    expect(direct!.load.windows[0]!.endedAtMs).toBeLessThanOrEqual(named!.load.windows[0]!.startedAtMs);
    expect(named!.load.windows[0]!.endedAtMs).toBeLessThanOrEqual(direct!.load.windows[1]!.startedAtMs);
    expect(direct!.load.windows[1]!.endedAtMs).toBeLessThanOrEqual(named!.load.windows[1]!.startedAtMs);
    for (const r of runs) {
      expect(r.run.ok).toBeGreaterThan(0);
      expect(r.load.latenciesMs).toHaveLength(r.run.ok);
      expect(r.run.durationS).toBeGreaterThanOrEqual(1.8);
    }
    expect(direct!.run.cpuMsPerRequest).not.toHaveProperty('gateway');
    if (process.platform === 'linux') expect(direct!.run.cpuMsPerRequest.loadGenerator).toBeGreaterThan(0);
  }, 30_000);

  it('sends each target its own headers and reports the CPU of its own proxy only', async () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    const a = await okServer(seenA);
    const b = await okServer(seenB);
    servers.push(a.server, b.server);
    const runs = await measureGroup({
      targets: [
        { target: 'gateway-named', baseUrl: a.url, model: 'sim-mini', body: '{}', proxy: 'gateway' },
        { target: 'portkey', baseUrl: b.url, model: 'sim-mini', body: '{}', headers: { 'x-target': 'portkey' }, proxy: 'portkey' },
      ],
      stream: false,
      connections: 1,
      warmupS: 0.2,
      durationS: 0.4,
      rounds: 1,
      pauseMs: 0,
      // Both "proxies" are this process: only which key each run reports is under test.
      pids: { gateway: process.pid, portkey: process.pid },
      ticksPerS: 100,
    });
    expect(new Set(seenA)).toEqual(new Set(['']));
    expect(new Set(seenB)).toEqual(new Set(['portkey']));
    expect(Object.keys(runs[0]!.run.cpuMsPerRequest)).toEqual(expect.arrayContaining(['gateway']));
    expect(runs[0]!.run.cpuMsPerRequest).not.toHaveProperty('portkey');
    expect(Object.keys(runs[1]!.run.cpuMsPerRequest)).toEqual(expect.arrayContaining(['portkey']));
    expect(runs[1]!.run.cpuMsPerRequest).not.toHaveProperty('gateway');
  }, 30_000);
});
