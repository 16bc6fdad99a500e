import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { DEFAULT_MODEL_PATH, loadPredictor, predictorFromJson, preloadPredictor, preloadState } from './load-predictor.ts';

const SHARED_MODELS = [
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
/** RouterDC's seven open models: word problems, coding tasks and Chinese questions, no prompt shared with the 11. */
const ROUTERDC_MODELS = [
  'mistral-7b-v0.1',
  'metamath-mistral-7b',
  'chinese-mistral-7b-v0.1',
  'zephyr-7b-beta',
  'dolphin-2.6-mistral-7b',
  'meta-llama-3-8b',
  'dolphin-2.9-llama3-8b',
];

const prompts = [
  'What is the capital of Australia?',
  'Write a function to find the longest common prefix of a list of strings.',
  'Solve for x: 3x + 7 = 22.',
  'Explain why the sky is blue in detail.',
  'Which gas do plants absorb from the air?\nA) oxygen\nB) carbon dioxide\nC) nitrogen\nD) helium\nAnswer:',
];

describe('loadPredictor (shipped default model)', () => {
  const predictor = loadPredictor();

  it('knows every model of the shared correctness data under its id, and none known only from judged preferences', () => {
    expect(predictor.knownModels().sort()).toEqual([...SHARED_MODELS, ...ROUTERDC_MODELS].sort());
    expect(predictor.version).toMatch(/^irt-v1\.s2-[0-9a-f]{8}$/);
  });

  it('gives probabilities in (0, 1) and ranks GPT-4 above Mistral-7B on average', () => {
    let gpt4 = 0;
    let mistral = 0;
    for (const p of prompts) {
      const [a, b] = predictor.predict(analyzePromptText(p), [{ id: 'gpt-4-1106-preview' }, { id: 'mistral-7b-instruct' }]);
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThan(1);
      gpt4 += a!;
      mistral += b!;
    }
    expect(gpt4).toBeGreaterThan(mistral);
  });

  it('serves an unknown catalog model from its quality prior', () => {
    const mean = (prior: number) =>
      prompts.reduce((s, p) => s + predictor.predict(analyzePromptText(p), [{ id: 'brand-new', quality: { default: prior } }])[0]!, 0) / prompts.length;
    expect(mean(0.9)).toBeGreaterThan(mean(0.6));
    expect(Math.abs(mean(0.8) - 0.8)).toBeLessThan(0.15);
    // Typical prompts by construction: the mean over them matches the prior exactly.
    expect(predictor.typical.a.length).toBeGreaterThan(100);
  });

  it('gives a model without enough rows of a task type its own level plus the shift its family shows', () => {
    // Among the 11 RouterBench models, math prompts are MMLU's, answered only by GPT-4 and Mixtral; RouterDC's
    // word problems are another family's (no shared prompt), so their easy math does not set the shift.
    const all = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')) as {
      models: Record<string, { thetaBase: number; theta: Record<string, number>; rows: Record<string, number>; sources: string[] }>;
    };
    expect(all.models['metamath-mistral-7b']!.rows.math).toBeGreaterThan(500);
    const file = { models: Object.fromEntries(SHARED_MODELS.map((id) => [id, all.models[id]!])) };
    expect(file.models['yi-34b-chat']!.sources).toEqual(['arc-challenge', 'mbpp', 'winogrande']);
    const withData = Object.entries(file.models).filter(([, m]) => (m.rows.math ?? 0) >= 30);
    expect(withData.map(([id]) => id).sort()).toEqual(['gpt-4-1106-preview', 'mixtral-8x7b-instruct']);
    const rows = withData.reduce((s, [, m]) => s + m.rows.math!, 0);
    const shift = withData.reduce((s, [, m]) => s + m.rows.math! * (m.theta.math! - m.thetaBase), 0) / rows;
    expect(shift).toBeLessThan(-0.5); // MMLU's math is hard for both
    for (const [id, m] of Object.entries(file.models)) {
      const expected = (m.rows.math ?? 0) >= 30 ? m.theta.math! : m.thetaBase + shift;
      expect(predictor.ability({ id }, 'math'), id).toBeCloseTo(expected, 6);
    }
    // So GPT-4 keeps the top math ability instead of falling below models that never saw a math row.
    const gpt4 = predictor.ability({ id: 'gpt-4-1106-preview' }, 'math');
    for (const id of SHARED_MODELS.filter((m) => m !== 'gpt-4-1106-preview')) expect(gpt4).toBeGreaterThan(predictor.ability({ id }, 'math'));
    // A task type no model has enough rows of keeps every model at its base.
    expect(predictor.ability({ id: 'yi-34b-chat' }, 'translation')).toBeCloseTo(file.models['yi-34b-chat']!.thetaBase, 6);
  });

  it('uses a task prior over the default prior and the learned ability for known models', () => {
    const analysis = analyzePromptText('Translate "thank you" into German.');
    const [withTask, withDefault] = predictor.predict(analysis, [
      { id: 'x', quality: { translation: 0.95, default: 0.3 } },
      { id: 'y', quality: { default: 0.3 } },
    ]);
    expect(withTask!).toBeGreaterThan(withDefault!);
  });

  it('gives a difficulty percentile in [0, 1]', () => {
    const a = analyzePromptText(prompts[0]!);
    const d = predictor.difficultyPercentile(a.features, a.taskType);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThanOrEqual(1);
  });

  it('refuses a file trained with another feature layout', () => {
    const file = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8')) as { featureSpec: { hashing: { buckets: number } } };
    file.featureSpec.hashing.buckets = 1024;
    expect(() => predictorFromJson(JSON.stringify(file))).toThrow(/different feature layout/);
  });
});

describe('preloadPredictor', () => {
  it('hands the predictor it loaded to the next loadPredictor of that file, once', async () => {
    loadPredictor(DEFAULT_MODEL_PATH); // leaves the binary copy and its remembered key: the copy is read asynchronously
    const loaded = preloadPredictor(DEFAULT_MODEL_PATH);
    expect(preloadState(DEFAULT_MODEL_PATH)).toBe('pending');
    await loaded;
    expect(preloadState(DEFAULT_MODEL_PATH)).toBe('loaded');
    const preloaded = loadPredictor(DEFAULT_MODEL_PATH);
    expect(preloaded.version).toMatch(/^irt-v1\.s2-[0-9a-f]{8}$/);
    expect(preloadState(DEFAULT_MODEL_PATH)).toBe('none');
    // Compared by identity (an object this size is slow to diff): the next call loads again.
    expect(loadPredictor(DEFAULT_MODEL_PATH) === preloaded).toBe(false);
  });

  it('is cancelled by a loadPredictor that comes first', async () => {
    const cancelled = preloadPredictor(DEFAULT_MODEL_PATH);
    const first = loadPredictor(DEFAULT_MODEL_PATH);
    expect(preloadState(DEFAULT_MODEL_PATH)).toBe('none');
    await cancelled;
    // Nothing was preloaded in the meantime: the next call loads the file again.
    expect(preloadState(DEFAULT_MODEL_PATH)).toBe('none');
    expect(loadPredictor(DEFAULT_MODEL_PATH) === first).toBe(false);
  });

  it('is not handed out for a file replaced since it was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aigw-preload-'));
    try {
      const path = join(dir, 'model.json');
      const text = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
      writeFileSync(path, text);
      await preloadPredictor(path);
      const file = JSON.parse(text) as { models: Record<string, { thetaBase: number }> };
      file.models['gpt-4-1106-preview']!.thetaBase -= 1;
      writeFileSync(path, JSON.stringify(file));
      expect(loadPredictor(path).version).not.toBe(loadPredictor(DEFAULT_MODEL_PATH).version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
