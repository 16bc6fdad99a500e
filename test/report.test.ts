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
import { FIXTURE_START_MS, knownAnswerHistory, writeFixtureHistory } from '../src/analytics/recommend/fixture-history.test-support.ts';
import { renderReport } from '../src/analytics/report/render-report.ts';
import { gatewayConfig } from '../src/router/policy/policy-fixtures.test-support.ts';

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
    const doc = ReportDocument.parse(
      await buildReport(store.db, { timeframe: '7d' }, { goal: 'cost', costThresholdUsd: 0.01, qualityThreshold: 0.7, targetReduction: 0.2, config }, NOW_MS),
    );
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
    const doc = await buildReport(
      store.db,
      { from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' },
      { goal: 'balanced', targetReduction: 0.2, config },
      NOW_MS,
    );
    expect(doc.executive_summary.total_requests.value).toBe(0);
    expect(doc.data_gaps.length).toBeGreaterThan(0);
    expect(doc.routing_rules.rules).toEqual([]);
  });
});

describe('buildReport on the known-answer history of the recommendations', () => {
  let opened: KyselyStore;
  let fixtureDir: string;
  const window = { from: new Date(FIXTURE_START_MS).toISOString(), to: new Date(FIXTURE_START_MS + 86_400_000).toISOString() };
  beforeAll(async () => {
    fixtureDir = mkdtempSync(join(tmpdir(), 'aigw-report-known-'));
    opened = await openStore({ dir: fixtureDir });
    await writeFixtureHistory(opened, knownAnswerHistory());
  });
  afterAll(async () => {
    await opened?.close();
    rmSync(fixtureDir, { recursive: true, force: true });
  });

  it('stores its recommendations so the printed `aigw rules apply ID` finds them', async () => {
    const doc = await buildReport(
      opened.db,
      window,
      { goal: 'cost', qualityThreshold: 0.8, targetReduction: 0.2, config: gatewayConfig(), persistTo: opened },
      NOW_MS,
    );
    expect(doc.routing_rules.rules).toHaveLength(1);
    const rec = doc.routing_rules.rules[0]!;
    expect(await opened.getRecommendation(rec.id)).toMatchObject({ id: rec.id, status: 'proposed', created_at: NOW_MS });
    expect(renderReport(doc, 'md')).toContain(`- **Apply**: \`aigw rules apply ${rec.id}\``);
  });

  it('prices the matrix cell of a changed segment per request of that segment, and fills untouched task types from the history', async () => {
    const doc = await buildReport(opened.db, window, { goal: 'cost', qualityThreshold: 0.8, targetReduction: 0.2, config: gatewayConfig() }, NOW_MS);
    const cells = doc.routing_rules.model_selection_matrix;
    // summarization: 60 requests, all on gpt-4o-mini ($0.0002) once the rule applies.
    const summarization = cells.find((c) => c.task_type === 'summarization');
    expect(summarization?.requests.value).toBe(60);
    expect(summarization?.expected_cost_usd.value).toBeCloseTo(0.0002, 12);
    // coding: 20 requests on gpt-4o at $0.004 with quality 0.92, which no rule changes.
    const coding = cells.find((c) => c.task_type === 'coding');
    expect(coding).toMatchObject({ model: 'gpt-4o', requests: { value: 20 } });
    expect(coding?.expected_cost_usd.value).toBeCloseTo(0.004, 12);
    expect(coding?.expected_quality.value).toBeCloseTo(0.92, 9);
  });

  it('reports the decisions in hindsight, the 20% plan and the goal scenarios with the known numbers', async () => {
    const doc = await buildReport(opened.db, window, { goal: 'cost', qualityThreshold: 0.8, targetReduction: 0.2, config: gatewayConfig() }, NOW_MS);
    const d = doc.current_state.decisions;
    expect(d.analyzed.value).toBe(80);
    expect(d.optimal_share_pct.value).toBeCloseTo(50, 9);
    expect(d.missed_savings_usd.value).toBeCloseTo(0.152, 9);
    expect(d.ab_tests.map((t) => [t.rule, t.applied_fires.value, t.holdout_fires.value])).toEqual([['canary', 10, 10]]);
    expect(d.ab_tests[0]?.verdict).toMatch(/^applied arm scores higher \(quality \+0\.060/);
    const plan = doc.opportunities.cost_reduction_plan;
    expect(plan).toMatchObject({ reachable: true, recommendation_ids: [doc.routing_rules.rules[0]!.id] });
    expect(plan.expected_reduction_pct.value).toBeCloseTo((0.152 / 0.244) * 100, 6);
    expect(doc.opportunities.trade_off_scenarios.map((s) => s.goal)).toEqual(['cost', 'speed', 'quality', 'balanced']);
    expect(doc.opportunities.trade_off_scenarios[0]?.cost_change_pct.value).toBeCloseTo((-0.152 / 0.244) * 100, 6);
    expect(doc.routing_rules.rules[0]?.risk_assessment.mitigations[0]).toContain('aigw rules apply ID --percent 20');
  });
});
