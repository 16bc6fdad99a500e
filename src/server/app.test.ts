import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfig } from '../config/schema.ts';
import { createGateway, type GatewayRuntime } from '../gateway/create-gateway.ts';
import { DEFAULT_FLEET, fleetCatalog } from '../sim/fleet.ts';
import { buildApp } from './app.ts';

let dir: string;
let runtime: GatewayRuntime;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-app-'));
  const catalog = fleetCatalog(DEFAULT_FLEET, 'http://127.0.0.1:9');
  const config = GatewayConfig.parse({ providers: catalog.providers, models: catalog.models });
  runtime = await createGateway(config, { cwd: dir, logger: pino({ level: 'silent' }) });
  app = buildApp(() => runtime.gateway);
  // fastify's schema compilers load on first use (app.ts): a route with a schema still validates and serializes.
  app.post(
    '/schema-check',
    {
      schema: {
        body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
    },
    async (req) => ({ n: (req.body as { n: number }).n, hidden: 'not in the response schema' }),
  );
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('fastify schemas', () => {
  it('validates a body against a route schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/schema-check', payload: { n: 'x' } });
    expect(res.statusCode).toBe(400);
  });

  it('serializes a reply with the response schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/schema-check', payload: { n: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ n: 3 });
  });
});
