import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { DEFAULT_MODEL_PATH, loadPredictor, predictorFromJson } from './load-predictor.ts';

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

const prompts = [
  'What is the capital of Australia?',
  'Write a function to find the longest common prefix of a list of strings.',
  'Solve for x: 3x + 7 = 22.',
  'Explain why the sky is blue in detail.',
  'Which gas do plants absorb from the air?\nA) oxygen\nB) carbon dioxide\nC) nitrogen\nD) helium\nAnswer:',
];

describe('loadPredictor (shipped default model)', () => {
  const predictor = loadPredictor();

  it('knows every model of the shared data under its id', () => {
    expect(predictor.knownModels().sort()).toEqual([...SHARED_MODELS].sort());
    expect(predictor.version).toMatch(/^irt-v1-[0-9a-f]{8}$/);
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
    const file = JSON.parse(readFileSync(DEFAULT_MODEL_PATH, 'utf8'));
    file.featureSpec.hashing.buckets = 1024;
    expect(() => predictorFromJson(JSON.stringify(file))).toThrow(/different feature layout/);
  });
});
