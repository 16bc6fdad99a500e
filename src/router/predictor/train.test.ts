import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { IrtQualityPredictor } from './irt-predictor.ts';
import type { OutcomeRow } from './outcome-rows.ts';
import { trainPredictor } from './train.ts';
import { DEFAULT_HASHING } from '../analyze/feature-spec.ts';
import { decodeFloats } from './model-file.ts';
import { idfNorm, ridgeDeviation } from './ridge-head.ts';

/** Synthetic outcomes: `coder` is right on code prompts, `poet` on poems, `big` on both. */
function syntheticRows(n: number): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  const nouns = ['list', 'string', 'tree', 'matrix', 'graph', 'queue', 'stack', 'number'];
  const themes = ['rain', 'autumn', 'the sea', 'a cat', 'the moon', 'winter', 'love', 'a city'];
  for (let i = 0; i < n; i++) {
    const code = i % 2 === 0;
    const prompt = code
      ? `Write a Python function that sorts a ${nouns[i % nouns.length]} and returns it.`
      : `Write a short poem about ${themes[i % themes.length]} with vivid imagery.`;
    rows.push({ id: `r${i}`, prompt, scores: { coder: code ? 1 : 0, poet: code ? 0 : 1, big: i % 5 === 0 ? 0 : 1 } });
  }
  return rows;
}

describe('trainPredictor', () => {
  const rows = syntheticRows(240);
  const options = { seed: 3, epochs: 4 };

  it('is deterministic for a seed', () => {
    expect(JSON.stringify(trainPredictor(rows, options))).toBe(JSON.stringify(trainPredictor(rows, options)));
  });

  it('learns which model fits which prompt and stores no prompt text', () => {
    const file = trainPredictor(rows, options);
    expect(JSON.stringify(file)).not.toContain('poem');
    const predictor = new IrtQualityPredictor(file, 'test');
    expect(predictor.knownModels().sort()).toEqual(['big', 'coder', 'poet']);
    const models = [{ id: 'coder' }, { id: 'poet' }];
    const [coderOnCode, poetOnCode] = predictor.predict(analyzePromptText('Write a Python function that reverses a string.'), models);
    const [coderOnPoem, poetOnPoem] = predictor.predict(analyzePromptText('Write a short poem about the wind with vivid imagery.'), models);
    expect(coderOnCode!).toBeGreaterThan(poetOnCode! + 0.3);
    expect(poetOnPoem!).toBeGreaterThan(coderOnPoem! + 0.3);
  });

  it('reports progress through every stage', () => {
    const stages = new Set<string>();
    trainPredictor(rows.slice(0, 60), { seed: 1, epochs: 1 }, (p) => stages.add(p.stage));
    expect([...stages]).toEqual(['features', 'fit', 'calibrate', 'refit', 'ridge']);
  });

  it('shrinks per-prompt deviations towards the coarse heads by the stored blend', () => {
    const file = trainPredictor(rows, { ...options, stacking: false, blendDefault: 0, blendByTask: {} });
    expect(file.models.coder!.blend).toBeUndefined();
    expect(file.models.coder!.coarse).toBeDefined();
    const coarseOnly = new IrtQualityPredictor(file, 'coarse');
    const full = new IrtQualityPredictor({ ...file, blend: { default: 1, byTask: {} } }, 'full');
    // Same structure, different words: only the hashed n-grams tell them apart.
    const a = analyzePromptText('Write a Python function that sorts a list and returns it.');
    const b = analyzePromptText('Write a Python function that sorts a tree and returns it.');
    expect(a.features.dense).toEqual(b.features.dense);
    const m = [{ id: 'coder' }, { id: 'poet' }, { id: 'big' }];
    const [ca, cb] = [coarseOnly.predict(a, m), coarseOnly.predict(b, m)];
    ca.forEach((p, k) => expect(p).toBeCloseTo(cb[k]!, 9));
    const [fa, fb] = [full.predict(a, m), full.predict(b, m)];
    expect(fa.some((p, k) => Math.abs(p - fb[k]!) > 1e-4)).toBe(true);
  });

  it('mixes the ridge heads into the probability by the stored share per task type', () => {
    const file = trainPredictor(rows, { ...options, ridgeBlendByTask: { coding: 0.5 }, ridgeBlendDefault: 0 });
    expect(file.ridge?.blend).toEqual({ default: 0, byTask: { coding: 0.5 } });
    expect(file.models.coder!.ridge).toBeDefined();
    const withRidge = new IrtQualityPredictor(file, 'ridge');
    const withoutRidge = new IrtQualityPredictor({ ...file, ridge: { ...file.ridge!, blend: { default: 0, byTask: {} } } }, 'irt');
    const onlyRidge = new IrtQualityPredictor({ ...file, ridge: { ...file.ridge!, blend: { default: 0, byTask: { coding: 1 } } } }, 'ridge-only');
    const code = analyzePromptText('Write a Python function that sorts a list and returns it.');
    expect(code.taskType).toBe('coding');
    const m = [{ id: 'coder' }, { id: 'poet' }, { id: 'big' }];
    const [mixed, irt, ridge] = [withRidge.predict(code, m), withoutRidge.predict(code, m), onlyRidge.predict(code, m)];
    mixed.forEach((p, k) => expect(p).toBeCloseTo(0.5 * irt[k]! + 0.5 * ridge[k]!, 6));
    // The ridge head alone also knows the coder is right on code and the poet is not.
    expect(ridge[0]!).toBeGreaterThan(ridge[1]! + 0.5);
    // Trained without any share, no ridge heads are stored.
    expect(trainPredictor(rows, { ...options, ridgeBlendByTask: {}, ridgeBlendDefault: 0 }).ridge).toBeUndefined();
  });

  it('learns stacking weights per model on the simplex, with a hashed head', () => {
    const file = trainPredictor(rows, { ...options, stacking: true });
    for (const entry of Object.values(file.models)) {
      expect(entry.hashed).toBeDefined();
      const weights = [entry.blend!, ...Object.values(entry.blend!.byTask ?? {})];
      for (const w of weights) {
        expect(w.keep).toBeGreaterThanOrEqual(0);
        expect(w.hashed).toBeGreaterThanOrEqual(0);
        expect(w.keep + w.hashed).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
    // The synthetic outcomes are fully determined by the wording, so the per-prompt signal is kept.
    const coder = file.models.coder!.blend!;
    expect(coder.keep + coder.hashed).toBeGreaterThan(0.5);
  });

  it('fits a second set of ridge heads on the text vector when the hashing spec has one', () => {
    const hashing = { ...DEFAULT_HASHING, text: { buckets: 1 << 10, bigrams: 0.7 } };
    const file = trainPredictor(rows, { ...options, hashing, ridgeBlendByTask: { coding: 1 }, ridgeBlendDefault: 0 });
    expect(file.featureSpec.hashing.text).toEqual({ buckets: 1 << 10, bigrams: 0.7 });
    expect(decodeFloats(file.ridge!.textIdf!, 1 << 10).length).toBe(1 << 10);
    expect(file.models.coder!.ridge).toBeDefined();
    expect(file.models.coder!.ridgeText).toBeDefined();
    const predictor = new IrtQualityPredictor(file, 'text');
    const m = [{ id: 'coder' }, { id: 'poet' }];
    const code = analyzePromptText('Write a Python function that sorts a list and returns it.', { hashing });
    expect(code.features.textIdx!.length).toBeGreaterThan(0);
    const [coder, poet] = predictor.predict(code, m);
    expect(coder!).toBeGreaterThan(poet! + 0.5);
    // The text heads read the text vector: a non-zero deviation on it, none without it.
    const idf = decodeFloats(file.ridge!.textIdf!, 1 << 10);
    const head = { weights: decodeFloats(file.models.poet!.ridgeText!, 1 << 10) };
    const text = { idx: code.features.textIdx!, val: code.features.textVal! };
    expect(Math.abs(ridgeDeviation(head, text, idfNorm(text, idf, 1 << 10), 1 << 10))).toBeGreaterThan(1e-3);
    const none = { idx: new Uint32Array(0), val: new Float32Array(0) };
    expect(ridgeDeviation(head, none, idfNorm(none, idf, 1 << 10), 1 << 10)).toBe(0);
  });

  it('gives the coarse heads the source posteriors, so two sources of one task type get their own level', () => {
    // Same task type and structure; `big` is right on one source's prompts and wrong on the other's.
    const verbs = ['sorts', 'reverses', 'filters', 'merges'];
    const src: OutcomeRow[] = [];
    for (let i = 0; i < 200; i++) {
      const a = i % 2 === 0;
      const noun = a ? ['list', 'array', 'queue', 'stack'][(i >> 1) % 4] : ['graph', 'tree', 'heap', 'trie'][(i >> 1) % 4];
      src.push({ id: `s${i}`, dataset: a ? 'lists' : 'graphs', prompt: `Write a Python function that ${verbs[(i >> 3) % 4]} a ${noun} and returns it.`, scores: { big: a ? 1 : 0, small: 0.5 } });
    }
    const coarseOnly = { seed: 3, epochs: 2, blendDefault: 0, blendByTask: {}, ridgeBlendByTask: {}, ridgeBlendDefault: 0 };
    const file = trainPredictor(src, { ...coarseOnly, sourceClassifier: { enabled: true, input: 'text', l2: 1, iterations: 25, folds: 3, coarse: true } });
    expect(file.source?.classes).toEqual(['graphs', 'lists']);
    expect(file.source?.prior).toEqual([0.5, 0.5]);
    expect(file.training.options.sourceL2).toBe(1);
    const width = file.featureSpec.dense.length + file.featureSpec.taskTypes.length + 2;
    expect(decodeFloats(file.models.big!.coarse!.weights, width).length).toBe(width);
    const predictor = new IrtQualityPredictor(file, 'source');
    const [onList] = predictor.predict(analyzePromptText('Write a Python function that sorts a list and returns it.'), [{ id: 'big' }]);
    const [onGraph] = predictor.predict(analyzePromptText('Write a Python function that sorts a graph and returns it.'), [{ id: 'big' }]);
    expect(onList!).toBeGreaterThan(onGraph! + 0.3);
    // Without the classifier the coarse level cannot tell them apart (same dense features), and the file has no `source`.
    const plain = trainPredictor(src, coarseOnly);
    expect(plain.source).toBeUndefined();
    const p = new IrtQualityPredictor(plain, 'plain');
    const [l, g] = [p.predict(analyzePromptText('Write a Python function that sorts a list and returns it.'), [{ id: 'big' }]), p.predict(analyzePromptText('Write a Python function that sorts a graph and returns it.'), [{ id: 'big' }])];
    expect(Math.abs(l[0]! - g[0]!)).toBeLessThan(0.05);
    // Rows without a dataset give no classifier.
    expect(trainPredictor(syntheticRows(60), { seed: 1, epochs: 1, sourceClassifier: { enabled: true, input: 'text', l2: 1, iterations: 25, folds: 3, coarse: true } }).source).toBeUndefined();
  });

  it('text heads: their own L2 and weight, and the source level (no classifier stored when only training uses it)', () => {
    const hashing = { ...DEFAULT_HASHING, text: { buckets: 1 << 10, bigrams: 0.7 } };
    const labelled = syntheticRows(120).map((r, i) => ({ ...r, dataset: i % 2 === 0 ? 'code' : 'poems' }));
    const base = { seed: 3, epochs: 1, hashing, ridgeBlendByTask: { coding: 1 }, ridgeBlendDefault: 0, textRidge: { l2: null, scale: 1, level: 'coarse' as const } };
    const text = (f: ReturnType<typeof trainPredictor>) => decodeFloats(f.models.coder!.ridgeText!, 1 << 10);
    const one = text(trainPredictor(labelled, base));
    const two = text(trainPredictor(labelled, { ...base, textRidge: { l2: null, scale: 2, level: 'coarse' } }));
    one.forEach((w, j) => expect(two[j]).toBeCloseTo(2 * w, 5));
    const stiffer = text(trainPredictor(labelled, { ...base, textRidge: { l2: 100, scale: 1, level: 'coarse' } }));
    expect(stiffer.reduce((s, w) => s + w * w, 0)).toBeLessThan(one.reduce((s, w) => s + w * w, 0));
    // The defaults: the source classifier shapes the text heads' target only.
    const { textRidge: _coarseLevel, ...defaults } = base;
    const sourced = trainPredictor(labelled, defaults);
    expect(sourced.source).toBeUndefined();
    expect(sourced.training.options.textRidgeLevel).toBe('source');
    // The coarse heads see the same inputs, so only the text heads' target (and weights) differ.
    expect(sourced.models.coder!.coarse).toEqual(trainPredictor(labelled, base).models.coder!.coarse);
    expect(text(sourced).some((w, j) => Math.abs(w - one[j]!) > 1e-4)).toBe(true);
    // The shared-bucket heads keep the coarse level unless `ridgeLevel` says otherwise.
    const shared = (f: ReturnType<typeof trainPredictor>) => decodeFloats(f.models.coder!.ridge!, DEFAULT_HASHING.buckets);
    expect(shared(sourced)).toEqual(shared(trainPredictor(labelled, base)));
    const both = trainPredictor(labelled, { ...defaults, ridgeLevel: 'source' });
    expect(both.training.options.ridgeLevel).toBe('source');
    expect(shared(both).some((w, j) => Math.abs(w - shared(sourced)[j]!) > 1e-4)).toBe(true);
  });
});

