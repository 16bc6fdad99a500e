import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderConfig } from '../config/schema.ts';
import { UpstreamClient } from './upstream-client.ts';

// One server, two providers on its origin: each provider's pool must have its own size.
let server: Server;
let origin = '';
const active = new Map<string, number>();
const peak = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const who = req.url ?? '';
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
});
