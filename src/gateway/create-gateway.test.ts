import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.ts';
import { fleetCatalog } from '../sim/fleet.ts';
import { RELIABLE_FLEET } from '../../test/helpers/test-stack.ts';
import { createGateway, type GatewayRuntime } from './create-gateway.ts';

const catalog = fleetCatalog(RELIABLE_FLEET, 'http://127.0.0.1:9');
const configWith = (ids: string[], failureThreshold: number) =>
  parseConfig({
    providers: catalog.providers,
    models: catalog.models.filter((m) => ids.includes(m.id)),
    reliability: { breaker: { failure_threshold: failureThreshold, cooldown_ms: 1000 } },
  });

let runtime: GatewayRuntime | undefined;
afterAll(async () => {
  await runtime?.close();
});

describe('createGateway reload', () => {
  it('swaps a new snapshot: a request holding the old one keeps its config, catalog and router', async () => {
    runtime = await createGateway(configWith(['sim-nano', 'sim-mini'], 5), {
      cwd: mkdtempSync(join(tmpdir(), 'aigw-reload-unit-')),
      env: {},
      logger: pino({ level: 'silent' }),
    });
    const before = runtime.gateway;
    runtime.reload(configWith(['sim-nano', 'sim-mini', 'sim-large'], 9));
    const after = runtime.gateway;

    expect(after).not.toBe(before);
    expect(before.catalog.target('sim-large')).toBeUndefined();
    expect(after.catalog.target('sim-large')?.model.id).toBe('sim-large');
    expect(before.config.models.map((m) => m.id)).toEqual(['sim-nano', 'sim-mini']);
    expect(before.router).not.toBe(after.router);
    // What is shared state, not configuration, stays one object across snapshots.
    for (const part of ['store', 'writer', 'ledger', 'limiter', 'breakers', 'inFlight', 'upstream', 'liveStats', 'judge'] as const) {
      expect(after[part]).toBe(before[part]);
    }
  });
});
