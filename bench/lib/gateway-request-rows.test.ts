import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { newRequestRecord } from '../../src/pipeline/request-record.ts';
import { countByModelUsed, readGatewayRequestRows, rowsInWindow, type GatewayRequestRow } from './gateway-request-rows.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function row(createdAt: number, model: string, stream = false, used: string | null = 'sim-mini'): GatewayRequestRow {
  return { created_at: createdAt, overhead_ms: 0.3, latency_ms: 1, model_requested: model, model_used: used, status: 200, stream };
}

describe('readGatewayRequestRows', () => {
  it('reads back the rows a gateway wrote to its SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rows-'));
    dirs.push(dir);
    const store = await openStore({ dir });
    const a = newRequestRecord('req-a', 1_000).row;
    Object.assign(a, { model_requested: 'auto', model_used: 'sim-mini', status: 200, overhead_ms: 0.42, latency_ms: 1.5, stream: true });
    const b = newRequestRecord('req-b', 2_000).row;
    Object.assign(b, { model_requested: 'sim-mini', model_used: 'sim-mini', status: 200, overhead_ms: 0.2, latency_ms: 1.1 });
    await store.insertRequests([a, b]);
    await store.close();

    const rows = await readGatewayRequestRows(dir);
    expect(rows.sort((x, y) => x.created_at - y.created_at)).toEqual([
      { created_at: 1_000, overhead_ms: 0.42, latency_ms: 1.5, model_requested: 'auto', model_used: 'sim-mini', status: 200, stream: true },
      { created_at: 2_000, overhead_ms: 0.2, latency_ms: 1.1, model_requested: 'sim-mini', model_used: 'sim-mini', status: 200, stream: false },
    ]);
  });
});

describe('rowsInWindow', () => {
  it('keeps rows inside the window for the same model and mode only', () => {
    const rows = [row(99, 'auto'), row(100, 'auto'), row(150, 'sim-mini'), row(160, 'auto', true), row(200, 'auto'), row(201, 'auto')];
    const picked = rowsInWindow(rows, { startedAtMs: 100, endedAtMs: 200, modelRequested: 'auto', stream: false });
    expect(picked.map((r) => r.created_at)).toEqual([100, 200]);
  });
});

describe('countByModelUsed', () => {
  it('counts answers per model, failed ones under none', () => {
    expect(countByModelUsed([row(1, 'auto'), row(2, 'auto', false, 'sim-nano'), row(3, 'auto'), row(4, 'auto', false, null)])).toEqual({
      'sim-mini': 2,
      'sim-nano': 1,
      none: 1,
    });
  });
});
