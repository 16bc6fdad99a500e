import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../src/analytics/report/build-report.ts';
import { ReportDocument, type Metric } from '../src/analytics/report/report-document.ts';
import { parseConfig } from '../src/config/load-config.ts';
import { DEFAULT_FLEET, fleetCatalog } from '../src/sim/fleet.ts';
import type { KyselyStore } from '../src/store/kysely-store.ts';
import { openStore } from '../src/store/open-store.ts';
import { makeDecisionRow, makeRequestRow } from '../src/store/store-test-support.ts';

const NOW_MS = Date.parse('2026-03-10T12:00:00Z');
const N = 60;
let dir: string;
let store: KyselyStore;
const catalog = fleetCatalog(DEFAULT_FLEET, 'http://127.0.0.1:4100');
const config = parseConfig({ providers: catalog.providers, models: catalog.models }, 'test');
const [cheap, strong] = [catalog.models[0]!.id, catalog.models[catalog.models.length - 1]!.id];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-report-'));
  store = await openStore({ dir });
  for (let i = 0; i < N; i += 1) {
    const model = i % 2 === 0 ? strong : cheap;
    const createdAt = NOW_MS - 3_600_000 * (1 + (i % 48));
    const req = makeRequestRow({ created_at: createdAt, model_used: model, task_type: 'qa', cost_usd: model === strong ? 0.004 : 0.0002, latency_ms: 500 });
    const dec = makeDecisionRow(req.id, { created_at: createdAt, chosen_model: model, task_type: 'qa', candidates: '[]', rules: '[]' });
    await store.insertRequests([{ ...req, decision_id: dec.id }]);
    await store.insertDecisions([dec]);
    await store.upsertFeedback({ id: `fb_${i}`, request_id: req.id, source: 'user', score: i % 5 === 0 ? 0 : 1, comment: null, created_at: createdAt + 1 });
  }
});
afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

function metricsOf(value: unknown, out: Metric[] = []): Metric[] {
  if (Array.isArray(value)) value.forEach((v) => metricsOf(v, out));
  else if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    if (typeof rec['source'] === 'string' && 'value' in rec && 'unit' in rec) out.push(rec as unknown as Metric);
    else Object.values(rec).forEach((v) => metricsOf(v, out));
  }
  return out;
}

describe('buildReport over a seeded store', () => {
  it('covers the window and traces every number to a listed source', async () => {
    const doc = ReportDocument.parse(await buildReport(store.db, { timeframe: '7d' }, { goal: 'cost', costThresholdUsd: 0.01, qualityThreshold: 0.7, targetReduction: 0.2, config }, NOW_MS));
    expect(doc.title).toBe('LLM Routing Optimization Report');
    expect(doc.executive_summary.total_requests.value).toBe(N);
    expect(doc.executive_summary.avg_cost_usd.value).toBeCloseTo((0.004 + 0.0002) / 2, 9);
    expect(doc.executive_summary.avg_quality.value).toBeCloseTo(48 / 60, 9);
    expect(doc.parameters).toMatchObject({ goal: 'cost', cost_threshold_usd: 0.01, quality_threshold: 0.7, target_reduction: 0.2, timeframe: '7d' });
    expect(doc.executive_summary.recommended_actions.value).toBe(doc.routing_rules.rules.length);
    const sourceIds = new Set(doc.sources.map((s) => s.id));
    for (const m of metricsOf(doc)) expect(sourceIds).toContain(m.source);
    expect(doc.sources.find((s) => s.id === 'recommendations')?.sample_size).toBe(N);
  });

  it('says what is missing for a window without traffic', async () => {
    const doc = await buildReport(store.db, { from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' }, { goal: 'balanced', targetReduction: 0.2, config }, NOW_MS);
    expect(doc.executive_summary.total_requests.value).toBe(0);
    expect(doc.data_gaps.length).toBeGreaterThan(0);
    expect(doc.routing_rules.rules).toEqual([]);
  });
});
