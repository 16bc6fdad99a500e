import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { IrtQualityPredictor, RIDGE_FULL_ROWS } from './irt-predictor.ts';
import type { OutcomeRow } from './outcome-rows.ts';
import { trainPredictor } from './train.ts';
import { DEFAULT_HASHING } from '../analyze/feature-spec.ts';
import { decodeFloats, type PredictorFile } from './model-file.ts';
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
  // Small synthetic files: every model gets ridge heads, and the trust threshold is off unless a test sets it.
  const options = { seed: 3, epochs: 4, ridgeMinRows: 0, trustFull: 0 };

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
    trainPredictor(rows.slice(0, 60), { seed: 1, epochs: 1, ridgeMinRows: 0 }, (p) => stages.add(p.stage));
    expect([...stages]).toEqual(['features', 'fit', 'calibrate', 'refit', 'ridge']);
  });

  it('shrinks per-prompt deviations towards the coarse heads by the stored keep share κ', () => {
    const file = trainPredictor(rows, { ...options, keepDefault: 0, keepByTask: {} });
    expect(file.keep).toEqual({ default: 0, byTask: {} });
    expect(file.models.coder!.coarse).toBeDefined();
    const coarseOnly = new IrtQualityPredictor(file, 'coarse');
    const full = new IrtQualityPredictor({ ...file, keep: { default: 1, byTask: {} } }, 'full');
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
    const trained = trainPredictor(rows, { ...options, ridgeShareByTask: { coding: 0.5 }, ridgeShareDefault: 0 });
    expect(trained.ridge?.share).toEqual({ default: 0, byTask: { coding: 0.5 } });
    // With RIDGE_FULL_ROWS rows of the task type every model's heads get the full share.
    const file = withTaskRows(trained, 'coding', RIDGE_FULL_ROWS);
    expect(file.models.coder!.ridge).toBeDefined();
    const withRidge = new IrtQualityPredictor(file, 'ridge');
    const withoutRidge = new IrtQualityPredictor({ ...file, ridge: { ...file.ridge!, share: { default: 0, byTask: {} } } }, 'irt');
    const onlyRidge = new IrtQualityPredictor({ ...file, ridge: { ...file.ridge!, share: { default: 0, byTask: { coding: 1 } } } }, 'ridge-only');
    const code = analyzePromptText('Write a Python function that sorts a list and returns it.');
    expect(code.taskType).toBe('coding');
    const m = [{ id: 'coder' }, { id: 'poet' }, { id: 'big' }];
    const [mixed, irt, ridge] = [withRidge.predict(code, m), withoutRidge.predict(code, m), onlyRidge.predict(code, m)];
    mixed.forEach((p, k) => expect(p).toBeCloseTo(0.5 * irt[k]! + 0.5 * ridge[k]!, 6));
    // The ridge head alone also knows the coder is right on code and the poet is not.
    expect(ridge[0]!).toBeGreaterThan(ridge[1]! + 0.5);
    // Trained without any share, no ridge heads are stored.
    expect(trainPredictor(rows, { ...options, ridgeShareByTask: {}, ridgeShareDefault: 0 }).ridge).toBeUndefined();
  });

  it('gives a model with few rows of the task type a smaller ridge share', () => {
    const trained = trainPredictor(rows, { ...options, ridgeShareByTask: { coding: 0.5 }, ridgeShareDefault: 0 });
    const share = (file: PredictorFile) => ({ ...file, ridge: { ...file.ridge!, share: { default: 0, byTask: { coding: 1 } } } });
    const few = withTaskRows(trained, 'coding', RIDGE_FULL_ROWS / 5);
    const irt = new IrtQualityPredictor({ ...few, ridge: { ...few.ridge!, share: { default: 0, byTask: {} } } }, 'irt');
    const ridge = new IrtQualityPredictor(share(withTaskRows(trained, 'coding', RIDGE_FULL_ROWS)), 'full');
    const scaled = new IrtQualityPredictor(share(few), 'few');
    const code = analyzePromptText('Write a Python function that sorts a list and returns it.');
    const m = [{ id: 'coder' }, { id: 'poet' }, { id: 'big' }];
    const [p, i, r] = [scaled.predict(code, m), irt.predict(code, m), ridge.predict(code, m)];
    // A fifth of the rows: a fifth of the share (the IRT part does not depend on rows above MIN_TASK_ROWS).
    p.forEach((x, k) => expect(x).toBeCloseTo(0.8 * i[k]! + 0.2 * r[k]!, 6));
  });

  it('fits a second set of ridge heads on the text vector when the hashing spec has one', () => {
    const hashing = { ...DEFAULT_HASHING, text: { buckets: 1 << 10, bigrams: 0.7 } };
    const file = trainPredictor(rows, { ...options, hashing, ridgeShareByTask: { coding: 1 }, ridgeShareDefault: 0 });
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

  it('measures the text heads from the source level when the rows name two or more sources', () => {
    const hashing = { ...DEFAULT_HASHING, text: { buckets: 1 << 10, bigrams: 0.7 } };
    const labelled = syntheticRows(120).map((r, i) => ({ ...r, dataset: i % 2 === 0 ? 'code' : 'poems' }));
    const base = { seed: 3, epochs: 1, hashing, ridgeShareByTask: { coding: 1 }, ridgeShareDefault: 0, ridgeMinRows: 0 };
    const text = (f: ReturnType<typeof trainPredictor>) => decodeFloats(f.models.coder!.ridgeText!, 1 << 10);
    const shared = (f: ReturnType<typeof trainPredictor>) => decodeFloats(f.models.coder!.ridge!, DEFAULT_HASHING.buckets);
    const sourced = trainPredictor(labelled, base);
    const coarse = trainPredictor(labelled, { ...base, sourceClassifier: { enabled: false, l2: 0.3, iterations: 25, folds: 3 } });
    expect(sourced.training.options.sourceClassifier).toBe(true);
    // Only the text heads' target differs: the coarse heads and the shared-bucket ridge heads are the same.
    expect(sourced.models.coder!.coarse).toEqual(coarse.models.coder!.coarse);
    expect(shared(sourced)).toEqual(shared(coarse));
    expect(text(sourced).some((w, j) => Math.abs(w - text(coarse)[j]!) > 1e-4)).toBe(true);
    // Rows without a dataset give no source classifier: the text heads then use the coarse level.
    const unlabelled = syntheticRows(120);
    expect(text(trainPredictor(unlabelled, base))).toEqual(
      text(trainPredictor(unlabelled, { ...base, sourceClassifier: { enabled: false, l2: 0.3, iterations: 25, folds: 3 } })),
    );
  });
  it('trusts a prompt of training-like words and leans an unfamiliar one on the task level', () => {
    const file = trainPredictor(rows, { ...options, ridgeShareByTask: { coding: 0.5 }, ridgeShareDefault: 0, trustFull: 0.05 });
    expect(file.novelty?.quantiles).toHaveLength(101);
    const predictor = new IrtQualityPredictor(file, 'trust');
    const familiar = analyzePromptText('Write a Python function that sorts a list and returns it.');
    const unfamiliar = analyzePromptText('Zorbit quaffle nemdrix plonk: vresh the ulgar kwemp.');
    expect(predictor.trust(familiar).trust).toBeGreaterThan(0.5);
    expect(predictor.trust(familiar).unfamiliar).toBe(false);
    const low = predictor.trust(unfamiliar);
    expect(low).toEqual({ trust: 0, unfamiliar: true });
    // At trust 0 every known model gets its task level σ(γ_m0 + γ_m,task): the same for any such prompt.
    const other = analyzePromptText('Quorbel snith vapdrol: yemble the frozzik grintle.');
    expect(other.taskType).toBe(unfamiliar.taskType);
    const m = [{ id: 'coder' }, { id: 'poet' }, { id: 'big' }];
    const [a, b] = [predictor.predict(unfamiliar, m), predictor.predict(other, m)];
    a.forEach((p, k) => expect(p).toBeCloseTo(b[k]!, 12));
    // Without the threshold the same prompt keeps its per-prompt prediction.
    const off = new IrtQualityPredictor({ ...file, novelty: { ...file.novelty!, trustFull: 0 } }, 'off');
    expect(off.trust(unfamiliar).unfamiliar).toBe(false);
    expect(off.predict(unfamiliar, m).some((p, k) => Math.abs(p - a[k]!) > 1e-6)).toBe(true);
  });
});

/** The file with every model's row count of one task type set to n (the rows the serving rules read). */
function withTaskRows(file: PredictorFile, task: string, n: number): PredictorFile {
  return { ...file, models: Object.fromEntries(Object.entries(file.models).map(([id, m]) => [id, { ...m, rows: { ...m.rows, [task]: n } }])) };
}
