import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { DEFAULT_MODEL_PATH, loadPredictor } from './load-predictor.ts';
import { cachePath, contentKey, readCached } from './model-cache.ts';
import { PredictorFile } from './model-file.ts';
import type { IrtQualityPredictor } from './irt-predictor.ts';

const dir = mkdtempSync(join(tmpdir(), 'aigw-model-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const prompts = [
  'What is the capital of Australia?',
  'Write a function to find the longest common prefix of a list of strings.',
  'Solve for x: 3x + 7 = 22.',
  '把这句话翻译成英文：今天天气很好。',
  'Summarize: the weekly sync moved to Tuesday because the design review needs the room on Monday.',
  'Which gas do plants absorb from the air?\nA) oxygen\nB) carbon dioxide\nC) nitrogen\nD) helium\nAnswer:',
];

/** Everything a decision reads from a predictor, for the sample prompts. */
function outputs(predictor: IrtQualityPredictor) {
  const models = [...predictor.knownModels().map((id) => ({ id })), { id: 'catalog-only', quality: { default: 0.8 } }];
  return prompts.map((p) => {
    const a = analyzePromptText(p);
    return {
      predictions: predictor.predict(a, models),
      difficulty: predictor.difficultyPercentile(a.features, a.taskType),
      abilities: models.map((m) => predictor.ability(m, a.taskType)),
    };
  });
}

describe('the binary copy of a model file', () => {
  const fromJson = loadPredictor(DEFAULT_MODEL_PATH, { cacheDir: null });
  const key = contentKey(readFileSync(DEFAULT_MODEL_PATH));

  it('is written on the first load and gives the same version and predictions as the JSON', () => {
    const cacheDir = join(dir, 'same');
    const first = loadPredictor(DEFAULT_MODEL_PATH, { cacheDir });
    // The copy reads back as a valid file (else loading would silently fall back to the JSON).
    expect(PredictorFile.safeParse(readCached(cachePath(cacheDir, key), key)?.file).success).toBe(true);
    const second = loadPredictor(DEFAULT_MODEL_PATH, { cacheDir });
    expect(second.version).toBe(fromJson.version);
    expect(first.version).toBe(fromJson.version);
    expect(outputs(second)).toEqual(outputs(fromJson));
  });

  it('is not used for a JSON with other bytes: the retrained file is read and gets its own copy', () => {
    const cacheDir = join(dir, 'changed');
    const path = join(dir, 'model.json');
    const original = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
    writeFileSync(path, original);
    loadPredictor(path, { cacheDir });
    const file = JSON.parse(original) as { models: Record<string, { thetaBase: number; theta: Record<string, number> }> };
    const model = file.models['gpt-4-1106-preview']!;
    model.thetaBase -= 1;
    for (const t of Object.keys(model.theta)) model.theta[t]! -= 1;
    writeFileSync(path, JSON.stringify(file));
    const retrained = loadPredictor(path, { cacheDir });
    expect(retrained.version).not.toBe(fromJson.version);
    expect(retrained.ability({ id: 'gpt-4-1106-preview' }, 'math')).toBeCloseTo(fromJson.ability({ id: 'gpt-4-1106-preview' }, 'math') - 1, 6);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.bin'))).toHaveLength(2);
  });

  it('is ignored and rewritten when it does not read back whole', () => {
    const cacheDir = join(dir, 'truncated');
    loadPredictor(DEFAULT_MODEL_PATH, { cacheDir });
    const copy = cachePath(cacheDir, key);
    const size = statSync(copy).size;
    writeFileSync(copy, readFileSync(copy).subarray(0, size - 100));
    expect(readCached(copy, key)).toBeUndefined();
    const predictor = loadPredictor(DEFAULT_MODEL_PATH, { cacheDir });
    expect(outputs(predictor)).toEqual(outputs(fromJson));
    expect(statSync(copy).size).toBe(size);
  });

  it('is not read under another key', () => {
    const cacheDir = join(dir, 'same');
    expect(readCached(cachePath(cacheDir, key), 'f'.repeat(64))).toBeUndefined();
  });
});
