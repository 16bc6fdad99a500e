import { resolve } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayConfig } from '../config/schema.ts';
import { DATA_FLEET, DEFAULT_FLEET, fleetCatalog, SimFleet, withoutErrors } from './fleet.ts';

const DATA_IDS = [
  'gpt-4-1106-preview',
  'gpt-3.5-turbo-1106',
  'claude-v1',
  'claude-v2',
  'claude-instant-v1',
  'mixtral-8x7b-instruct',
  'mistral-7b-instruct',
  'llama-2-70b-chat',
  'yi-34b-chat',
  'wizardlm-13b-v1.2',
  'code-llama-34b-instruct',
];

describe('simulated fleets', () => {
  it('DEFAULT_FLEET has six clearly simulated models spanning the price range', () => {
    expect(DEFAULT_FLEET.models).toHaveLength(6);
    for (const m of DEFAULT_FLEET.models) expect(m.id).toMatch(/^sim-/);
    const outputPrices = DEFAULT_FLEET.models.map((m) => m.pricing.output);
    expect(Math.max(...outputPrices) / Math.min(...outputPrices)).toBeGreaterThan(100);
    expect(new Set(DEFAULT_FLEET.models.map((m) => m.tier))).toEqual(new Set(['economy', 'standard', 'premium']));
  });

  it('DATA_FLEET serves the 11 models of the outcome data at their list prices', () => {
    expect(DATA_FLEET.models.map((m) => m.id).sort()).toEqual([...DATA_IDS].sort());
    const gpt4 = DATA_FLEET.models.find((m) => m.id === 'gpt-4-1106-preview')!;
    expect(gpt4.pricing).toEqual({ input: 10, output: 30 });
    const mistral = DATA_FLEET.models.find((m) => m.id === 'mistral-7b-instruct')!;
    expect(mistral.pricing).toEqual({ input: 0.2, output: 0.2 });
  });

  it('withoutErrors turns injected errors off and keeps everything else', () => {
    const quiet = withoutErrors(DEFAULT_FLEET);
    expect(quiet.models.every((m) => m.error_rate === 0)).toBe(true);
    expect(quiet.models.map((m) => ({ ...m, error_rate: 1 }))).toEqual(DEFAULT_FLEET.models.map((m) => ({ ...m, error_rate: 1 })));
  });

  it('rejects fleets with duplicate ids or accuracies out of range', () => {
    const model = DEFAULT_FLEET.models[0]!;
    expect(SimFleet.safeParse({ name: 'x', models: [model, model] }).success).toBe(false);
    expect(SimFleet.safeParse({ name: 'x', models: [{ ...model, accuracy: { qa: 1.5 } }] }).success).toBe(false);
  });

  it('fleetCatalog produces a config fragment the gateway schema accepts, marked simulated', () => {
    for (const fleet of [DEFAULT_FLEET, DATA_FLEET]) {
      const catalog = fleetCatalog(fleet, 'http://127.0.0.1:4100/');
      const config = GatewayConfig.parse(catalog);
      expect(config.providers).toEqual([expect.objectContaining({ id: 'sim', type: 'openai', base_url: 'http://127.0.0.1:4100/v1', simulated: true })]);
      expect(config.models).toHaveLength(fleet.models.length + fleet.embedding_models.length);
      for (const [i, m] of config.models.slice(0, fleet.models.length).entries()) {
        const src = fleet.models[i]!;
        expect(m).toMatchObject({ id: src.id, provider: 'sim', tier: src.tier, pricing: src.pricing, quality: src.accuracy });
        expect(m.latency).toEqual({ ttft_ms: src.ttft_ms, output_tokens_per_s: src.output_tokens_per_s });
      }
    }
    const reasoner = fleetCatalog(DEFAULT_FLEET, 'http://h:1').models.find((m) => m.id === 'sim-reasoner')!;
    expect(reasoner.supports_n).toBe(false);
    const overAnthropic = fleetCatalog(DEFAULT_FLEET, 'http://h:1', { wire: 'anthropic', providerId: 'simA' });
    expect(overAnthropic.providers).toMatchObject([
      { id: 'simA', type: 'anthropic' },
      { id: 'simA-openai', type: 'openai' },
    ]);
    // Embedding models are catalogued as such, on an OpenAI-format provider (Anthropic has no embeddings API).
    expect(overAnthropic.models.find((m) => m.id === 'sim-embed-small')).toMatchObject({
      kind: 'embedding',
      provider: 'simA-openai',
      pricing: { input: 0.02, output: 0 },
    });
  });
});

// The shared outcome data sits beside the repository (../shared/data), on developer machines and in CI.
const DATA_DIR = resolve(import.meta.dirname, '../../../shared/data');
const FILES = { qa: 'routerbench-arc-challenge-train.jsonl', reasoning: 'routerbench-winogrande-train.jsonl', coding: 'routerbench-mbpp-train.jsonl' } as const;

describe.skipIf(!existsSync(`${DATA_DIR}/${FILES.qa}`))('DATA_FLEET accuracies', () => {
  it("equal each model's mean score in the train files (ARC = qa, WinoGrande = reasoning, MBPP = coding)", () => {
    for (const [taskType, file] of Object.entries(FILES) as Array<[keyof typeof FILES, string]>) {
      const rows = readFileSync(`${DATA_DIR}/${file}`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { scores: Record<string, number> });
      for (const m of DATA_FLEET.models) {
        const mean = rows.reduce((s, r) => s + (r.scores[m.id] ?? 0), 0) / rows.length;
        expect(m.accuracy[taskType]).toBeCloseTo(mean, 2);
      }
    }
  });
});
