import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfig } from '../../config/schema.ts';
import { createGateway, type GatewayRuntime } from '../../gateway/create-gateway.ts';
import { createApiKey } from '../../auth/manage-keys.ts';
import { DEFAULT_FLEET, fleetCatalog } from '../../sim/fleet.ts';
import { makeRequestRow } from '../../store/store-test-support.ts';
import { buildApp } from '../app.ts';

let dir: string;
let runtime: GatewayRuntime;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-optimize-'));
  // Nothing is called upstream: the provider URL is never used.
  const catalog = fleetCatalog(DEFAULT_FLEET, 'http://127.0.0.1:9');
  const config = GatewayConfig.parse({ providers: catalog.providers, models: catalog.models, store: { flush_interval_ms: 20 } });
  runtime = await createGateway(config, { cwd: dir, logger: pino({ level: 'silent' }) });
  app = buildApp(() => runtime.gateway);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(dir, { recursive: true, force: true });
});

const EXTRACT = { role: 'user', content: 'Extract the invoice number and the total from: "Invoice INV-2291, total due $1,240.50 by March 3."' };

/** The fields of the /v1/optimize answer (or its error) these tests read; absent ones fail the assertions. */
interface OptimizeJson {
  object: string;
  task_type: string;
  model_requested: string;
  model: string;
  decision: { chosen_model: string; rationale: string };
  model_change: { effect: { cost_usd: number } };
  not_recommended: unknown[];
  parameters: Array<{ parameter: string; evidence: { source: string }; effect: unknown }>;
  technique: { effect: { quality: number; cost_usd: number }; evidence: unknown };
  lengths_observed_at: number | null;
  error: { param: string };
}

async function optimize(body: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/v1/optimize', payload: body as object, headers });
  return { status: res.statusCode, json: res.json<OptimizeJson>() };
}

describe('POST /v1/optimize', () => {
  let taskType: string;

  it('for a routing model: the router choice, sampling for the task type, and why max_tokens is not sized yet', async () => {
    const { status, json } = await optimize({ model: 'auto', messages: [EXTRACT] });
    expect(status).toBe(200);
    taskType = json['task_type'];
    expect(json['object']).toBe('optimization.recommendations');
    expect(json['model_requested']).toBe('auto');
    expect(json['model']).toBe(json['decision'].chosen_model);
    expect(json['decision'].rationale).toContain(json['model']);
    expect(json['model_change']).toBeNull();
    expect(json['not_recommended']).toContainEqual({
      what: 'max_tokens',
      reason: `0 completed ${taskType} requests observed; max_tokens is sized from at least 20`,
    });
    for (const p of json['parameters']) expect(p.evidence.source).toBe('task_type_table');
  });

  it('sizes max_tokens from the observed history of the task type once there is enough of it', async () => {
    const g = runtime.gateway;
    // 40 answers of 101..140 tokens from sim-large: p95 = 138 (rank 38), × 1.25 → 173.
    const rows = Array.from({ length: 40 }, (_, i) =>
      makeRequestRow({ created_at: Date.now() - 1_000 + i, task_type: taskType, model_used: 'sim-large', output_tokens: 101 + i }),
    );
    await g.store.insertRequests(rows);
    await g.observedLengths.refresh();
    const { status, json } = await optimize({ model: 'sim-large', messages: [EXTRACT], max_tokens: 4_000 });
    expect(status).toBe(200);
    expect(json['model']).toBe('sim-large');
    const maxTokens = json['parameters'].find((p) => p.parameter === 'max_tokens');
    expect(maxTokens).toMatchObject({ current: 4_000, recommended: 173 });
    expect(maxTokens?.evidence).toMatchObject({
      source: 'observed_requests',
      requests: 40,
      model: 'sim-large',
      percentile: 0.95,
      percentile_tokens: 138,
      margin: 1.25,
    });
    expect(maxTokens?.effect).toMatchObject({ cost_usd: 0, output_tokens: 0, quality: 0, worst_case_output_tokens: 173 - 4_000 });
    expect(json['lengths_observed_at']).not.toBeNull();
    // The named model is compared with what `auto` would pick.
    if (json['decision'].chosen_model !== 'sim-large') {
      expect(json['model_change']).toMatchObject({ current: 'sim-large', recommended: json['decision'].chosen_model });
      expect(json['model_change'].effect.cost_usd).toBeLessThan(0);
    }
  });

  it('reads a decision passed by the caller, technique included', async () => {
    const decision = {
      task_type: 'math',
      chosen_model: 'sim-mini',
      constraints: { goal: 'cost', minQuality: 0.75 },
      technique: { spec: 'self_consistency', options: { k: 5 } },
      router_version: 'policy-1+test',
      candidates: [
        { model: 'sim-mini+self_consistency(k=5)', predictedQuality: 0.78, estCostUsd: 0.002, estLatencyMs: 2_000, score: 1, eligible: true },
        { model: 'sim-large', predictedQuality: 0.8, estCostUsd: 0.009, estLatencyMs: 6_000, score: 0.5, eligible: true },
        {
          model: 'sim-mini',
          predictedQuality: 0.45,
          estCostUsd: 0.0004,
          estLatencyMs: 2_000,
          score: 0,
          eligible: false,
          reason: 'predicted quality 0.45 < required 0.75',
        },
      ],
    };
    const { status, json } = await optimize({ model: 'auto', messages: [{ role: 'user', content: 'What is 17 * 23 - 4?' }], decision });
    expect(status).toBe(200);
    expect(json['task_type']).toBe('math');
    expect(json['decision']).toBeNull();
    expect(json['technique']).toMatchObject({ technique: 'self_consistency', options: { k: 5 }, model: 'sim-mini' });
    expect(json['technique'].effect.quality).toBeCloseTo(0.33, 9);
    expect(json['technique'].effect.cost_usd).toBeCloseTo(0.0016, 9);
    expect(json['technique'].evidence).toMatchObject({ source: 'router_prediction', router_version: 'policy-1+test' });
    expect(json['parameters'].some((p) => p.parameter === 'temperature')).toBe(false);
  });

  it('rejects a bad decision, an unknown model and a bad body with OpenAI-style errors', async () => {
    const bad = await optimize({ model: 'auto', messages: [EXTRACT], decision: { task_type: 'math', constraints: { minQuality: 0.5 }, candidates: [] } });
    expect(bad.status).toBe(400);
    expect(bad.json['error'].param).toBe('decision.chosen_model');
    const unknown = await optimize({ model: 'no-such-model', messages: [EXTRACT] });
    expect(unknown.status).toBe(404);
    const noMessages = await optimize({ model: 'auto' });
    expect(noMessages.status).toBe(400);
    expect(noMessages.json['error'].param).toBe('messages');
  });

  it('needs an API key like the other /v1 routes once keys exist', async () => {
    const g = runtime.gateway;
    const { key } = await createApiKey(g.store, { name: 'optimize-test' });
    g.keysChanged();
    expect((await optimize({ model: 'auto', messages: [EXTRACT] })).status).toBe(401);
    expect((await optimize({ model: 'auto', messages: [EXTRACT] }, { authorization: `Bearer ${key}` })).status).toBe(200);
  });
});
