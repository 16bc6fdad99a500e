import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedConfig } from '../../cli/configured-store-context.ts';
import { simOutcomeFeedback } from '../../cli/demo/demo-report.ts';
import { generateDemoPrompts } from '../../cli/demo/prompts.ts';
import { runDemo } from '../../cli/demo/run-demo.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import type { KyselyStore } from '../../store/kysely-store.ts';
import { openStore } from '../../store/open-store.ts';
import { resolveAnalysisQuery } from '../analysis-query.ts';
import { buildRecommendations, type Recommendations } from './build-recommendations.ts';
import { calibrate } from './calibrate.ts';
import { loadHistory, type History } from './load-history.ts';
import { replayChoice, type ReplayContext } from './replay.ts';
import { routingModelsFor } from './search.ts';

// The demo's own traffic (800 requests, seed 1: routed `auto`, `auto-cost`, `auto-quality`, `auto-speed`
// and named models) with the simulated outcomes as feedback, as `aigw demo` leaves it. Recommendations
// for goal cost must never re-route a caller who asked for quality, nor one who named a model.
const REQUESTS = 800;
let cwd: string;
let store: KyselyStore;
let config: GatewayConfig;
let history: History;
let ctx: ReplayContext;
const sets = new Map<string, Recommendations>();

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'aigw-respect-'));
  const run = await runDemo({ cwd, requests: REQUESTS, concurrency: 8, timeScale: 0, env: {}, progress: false, log: () => {}, storeDir: 'data' });
  store = await openStore({ dir: join(cwd, 'data') });
  for (const row of simOutcomeFeedback(run.results, generateDemoPrompts(REQUESTS, 1), Date.now())) await store.upsertFeedback(row);
  config = servedConfig(cwd, undefined, {});
  const nowMs = Date.now() + 1;
  history = await loadHistory(store.readDb, resolveAnalysisQuery({ timeframe: '24h' }, nowMs));
  ctx = { config, calibration: calibrate(history.rows) };
  for (const goal of ['cost', 'quality', 'balanced', 'speed'] as const) {
    sets.set(goal, await buildRecommendations(store.readDb, config, { timeframe: '24h', optimization_goal: goal }, { nowMs }));
  }
}, 120_000);

afterAll(async () => {
  await store?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('recommendations respect the caller', () => {
  it('scope each rule to `auto` and the goal’s own virtual model', () => {
    expect(routingModelsFor(config, 'cost')).toEqual(['auto', 'auto-cost']);
    expect(routingModelsFor(config, 'quality')).toEqual(['auto', 'auto-quality']);
    expect(routingModelsFor(config, 'balanced')).toEqual(['auto']);
    const cost = sets.get('cost');
    expect(cost?.recommendations.length).toBeGreaterThan(0);
    for (const [goal, set] of sets) {
      for (const r of set.recommendations) expect(r.rule.match.routing_models, `${goal} ${r.id}`).toEqual(routingModelsFor(config, goal as never));
    }
  });

  it('switch no `auto-quality` request under goal cost and no request that named a model, on the demo traffic', () => {
    const cost = sets.get('cost') as Recommendations;
    const qualityCallers = history.rows.filter((row) => row.routingModel === 'auto-quality');
    expect(qualityCallers.length).toBeGreaterThan(20);
    let wouldHaveSwitched = 0;
    for (const r of cost.recommendations) {
      for (const row of qualityCallers) {
        const before = replayChoice(row, ctx, [])?.model;
        expect(replayChoice(row, ctx, [r.rule])?.model, `${r.id} on ${row.requestId}`).toBe(before);
        // The same rule without the routing-model scope: what the report used to recommend.
        const unscoped = { ...r.rule, match: { ...r.rule.match, routing_models: undefined } };
        if (replayChoice(row, ctx, [unscoped])?.model !== before) wouldHaveSwitched += 1;
      }
    }
    // The demo traffic does hold quality callers an unscoped cost rule would have re-routed.
    expect(wouldHaveSwitched).toBeGreaterThan(0);
    // Named models never have a routing decision: they are not in the history at all.
    expect(history.rows.every((row) => row.routingModel in config.routing.virtual_models)).toBe(true);
  });

  it('say which traffic each rule touches', () => {
    for (const r of sets.get('cost')?.recommendations ?? []) {
      expect(r.scope).toContain('sent to `auto`, `auto-cost`');
      expect(r.scope).toContain('not requests to `auto-quality`, `auto-speed`, nor requests that name a model');
    }
  });
});
