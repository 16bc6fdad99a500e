import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { IrtQualityPredictor } from './irt-predictor.ts';
import type { OutcomeRow } from './outcome-rows.ts';
import { trainPredictor } from './train.ts';

/**
 * Two sources: `exam` scores correctness (strong right 90% of the time, weak 60%), `judged` scores a
 * judge's preference against a reference (strong 0.5, weak 0.05, `judge-only` 0.3, which has no exam rows).
 */
function rows(n: number): OutcomeRow[] {
  const out: OutcomeRow[] = [];
  const topics = ['a list', 'a string', 'a tree', 'a matrix', 'a graph', 'a queue'];
  const themes = ['rain', 'autumn', 'the sea', 'a cat', 'the moon', 'winter'];
  for (let i = 0; i < n; i++) {
    out.push({
      id: `e${i}`,
      dataset: 'exam',
      prompt: `Write a Python function that sorts ${topics[i % topics.length]} and returns it.`,
      scores: { strong: i % 10 === 0 ? 0 : 1, weak: i % 5 < 3 ? 1 : 0 },
    });
    out.push({
      id: `j${i}`,
      dataset: 'judged',
      prompt: `Write a short poem about ${themes[i % themes.length]} with vivid imagery.`,
      scores: { strong: 0.5, weak: 0.05, 'judge-only': 0.3 },
    });
  }
  return out;
}

describe('preference sources', () => {
  const data = rows(150);
  const options = { seed: 5, epochs: 3, trustFull: 0 };
  const poem = analyzePromptText('Write a short poem about the wind with vivid imagery.');
  const code = analyzePromptText('Write a Python function that sorts a set and returns it.');
  const models = [{ id: 'strong' }, { id: 'weak' }];

  it('keeps each model at its correctness level and serves no model known only from preferences', () => {
    const file = trainPredictor(data, { ...options, preferenceSources: ['judged'] });
    expect(file.training.options.preferenceSources).toBe('judged');
    const predictor = new IrtQualityPredictor(file, 'pref');
    expect(predictor.knownModels().sort()).toEqual(['strong', 'weak']);
    const [strongOnCode, weakOnCode] = predictor.predict(code, models);
    const [strongOnPoem, weakOnPoem] = predictor.predict(poem, models);
    expect(strongOnCode!).toBeGreaterThan(0.75);
    expect(weakOnCode!).toBeGreaterThan(0.45);
    // On the kind of prompt only the judged source has, the weak model keeps its own level, not 0.05.
    expect(weakOnPoem!).toBeGreaterThan(0.35);
    expect(strongOnPoem!).toBeGreaterThan(weakOnPoem!);
  });

  it('as soft targets of the same scale, puts the weak model at its preference level instead', () => {
    const file = trainPredictor(data, { ...options, preferenceSources: [] });
    const predictor = new IrtQualityPredictor(file, 'soft');
    expect(predictor.knownModels()).toContain('judge-only');
    const [, weakOnPoem] = predictor.predict(poem, models);
    expect(weakOnPoem!).toBeLessThan(0.2);
  });
});
