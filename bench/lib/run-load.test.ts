import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mergeLoadResults, runLoad, type LoadResult } from './run-load.ts';

describe('runLoad', () => {
  it('posts the body for the duration and keeps every 2xx latency at sub-ms precision', async () => {
    const bodies: string[] = [];
    let n = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        bodies.push(body);
        // every fifth request fails, so 2xx latencies and non-2xx counts must be kept apart
        res.writeHead(++n % 5 === 0 ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await runLoad({ url: `http://127.0.0.1:${port}/v1/chat/completions`, body: '{"model":"m"}', connections: 2, durationS: 1 });
      expect(r.ok).toBeGreaterThan(50);
      expect(r.latenciesMs).toHaveLength(r.ok);
      expect(r.non2xx).toBeGreaterThan(0);
      expect(r.latenciesMs.some((v) => !Number.isInteger(v))).toBe(true);
      expect(new Set(bodies)).toEqual(new Set(['{"model":"m"}']));
      expect(r.windows).toHaveLength(1);
      expect(r.windows[0]!.endedAtMs - r.windows[0]!.startedAtMs).toBeGreaterThanOrEqual(900);
      expect(r.requestsPerS).toBeCloseTo(r.ok / r.elapsedS, 6);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('sends the per-target headers beside the JSON content type', async () => {
    const seen = new Set<string>();
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.add(`${body} ${req.headers['content-type']} ${req.headers['x-portkey-provider']?.toString() ?? '-'}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const url = `http://127.0.0.1:${port}/v1/chat/completions`;
      await runLoad({ url, body: '{"with":1}', headers: { 'x-portkey-provider': 'openai' }, connections: 1, durationS: 0.3 });
      await runLoad({ url, body: '{"without":1}', connections: 1, durationS: 0.3 });
      expect(seen).toEqual(new Set(['{"with":1} application/json openai', '{"without":1} application/json -']));
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('mergeLoadResults', () => {
  const part = (lat: number[], s: number, start: number): LoadResult => ({
    latenciesMs: lat,
    ok: lat.length,
    non2xx: 1,
    errors: 0,
    timeouts: 2,
    windows: [{ startedAtMs: start, endedAtMs: start + s * 1000 }],
    elapsedS: s,
    requestsPerS: lat.length / s,
  });

  it('concatenates latencies and windows and recomputes the rate over the summed time', () => {
    const m = mergeLoadResults([part([1, 2], 1, 0), part([3, 4, 5, 6], 1, 5000)]);
    expect(m.latenciesMs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(m.ok).toBe(6);
    expect(m.non2xx).toBe(2);
    expect(m.timeouts).toBe(4);
    expect(m.windows).toEqual([
      { startedAtMs: 0, endedAtMs: 1000 },
      { startedAtMs: 5000, endedAtMs: 6000 },
    ]);
    expect(m.requestsPerS).toBe(3);
  });
});
