import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderConfig } from '../config/schema.ts';
import { UpstreamCallError, UpstreamClient } from './upstream-client.ts';

// One server, two providers on its origin: each provider's pool must have its own size.
let server: Server;
let origin = '';
const active = new Map<string, number>();
const peak = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const who = req.url ?? '';
    if (who.startsWith('/buffered/')) return answerBuffered(who, req, res);
    active.set(who, (active.get(who) ?? 0) + 1);
    peak.set(who, Math.max(peak.get(who) ?? 0, active.get(who)!));
    req.resume();
    setTimeout(() => {
      active.set(who, active.get(who)! - 1);
      res.end('{}');
    }, 40);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function sendConcurrently(client: UpstreamClient, provider: ProviderConfig, requests: number): Promise<void> {
  await Promise.all(
    Array.from({ length: requests }, async () => {
      const res = await client.send(provider, { path: '/x', headers: {}, body: '{}' }, { timeoutMs: 5_000 });
      await res.body.text();
    }),
  );
}

describe('UpstreamClient', () => {
  it('gives two providers on one origin their own pools and pool sizes', async () => {
    const client = new UpstreamClient();
    const narrow = ProviderConfig.parse({ id: 'narrow', type: 'openai', base_url: `${origin}/narrow`, max_connections: 1 });
    const wide = ProviderConfig.parse({ id: 'wide', type: 'openai', base_url: `${origin}/wide`, max_connections: 4 });
    await Promise.all([sendConcurrently(client, narrow, 4), sendConcurrently(client, wide, 4)]);
    expect(client.poolCount()).toBe(2);
    expect(peak.get('/narrow/x')).toBe(1);
    expect(peak.get('/wide/x')).toBe(4);
    await client.close();
  });

  it("replaces a provider's pool when a reload changes its size", async () => {
    const client = new UpstreamClient();
    const before = ProviderConfig.parse({ id: 'p', type: 'openai', base_url: `${origin}/resized`, max_connections: 1 });
    await sendConcurrently(client, before, 3);
    expect(peak.get('/resized/x')).toBe(1);
    await sendConcurrently(client, { ...before, max_connections: 3 }, 3);
    expect(peak.get('/resized/x')).toBe(3);
    expect(client.poolCount()).toBe(1);
    await client.close();
  });

  it('reads a whole answer with sendBuffered: status, headers and text (a byte order mark dropped)', async () => {
    const client = new UpstreamClient();
    const provider = ProviderConfig.parse({ id: 'b', type: 'openai', base_url: `${origin}/buffered` });
    const res = await client.sendBuffered(provider, { path: '/ok', headers: {}, body: '{"q":1}' }, { timeoutMs: 5_000 });
    expect(res).toMatchObject({ status: 201, text: '{"echo":"{\\"q\\":1}"}' });
    expect(res.headers['x-twice']).toEqual(['a', 'b']);
    await client.close();
  });

  it('sendBuffered classifies failures as send and a failed body read do', async () => {
    const client = new UpstreamClient();
    const provider = ProviderConfig.parse({ id: 'b', type: 'openai', base_url: `${origin}/buffered` });
    const failure = (path: string, timeoutMs = 5_000, signal?: AbortSignal) =>
      client.sendBuffered(provider, { path, headers: {}, body: '{}' }, { timeoutMs, signal }).then(
        () => undefined,
        (err: unknown) => (err as UpstreamCallError).upstream,
      );
    expect(await failure('/stall-body', 100)).toMatchObject({ kind: 'timeout', status: 504 });
    expect(await failure('/cut-body')).toMatchObject({ kind: 'connection', status: 502 });
    expect(await failure('/stall-headers', 100)).toMatchObject({ kind: 'timeout', status: 504 });
    const aborted = new AbortController();
    const pending = failure('/stall-headers', 5_000, aborted.signal);
    setTimeout(() => aborted.abort(), 20);
    const viaSend = await client.send(provider, { path: '/stall-headers', headers: {}, body: '{}' }, { timeoutMs: 5_000, signal: aborted.signal }).then(
      () => undefined,
      (err: unknown) => (err as UpstreamCallError).upstream,
    );
    expect(await pending).toEqual(viaSend);
    expect(viaSend).toMatchObject({ kind: 'connection', status: 502, message: expect.stringContaining('aborted') });
    await client.close();
  });
});

function answerBuffered(path: string, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => {
    if (path === '/buffered/ok') {
      res.writeHead(201, [
        ['x-twice', 'a'],
        ['x-twice', 'b'],
        ['content-type', 'application/json'],
      ]);
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ echo: body }))]));
    } else if (path === '/buffered/stall-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    } else if (path === '/buffered/cut-body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":', () => res.destroy());
    }
    // stall-headers: no answer at all
  });
}
