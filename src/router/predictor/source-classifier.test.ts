import { describe, expect, it } from 'vitest';
import type { SparseVector } from './feature-vector.ts';
import { fitSourceClassifier, outOfFoldPosteriors, sourceLabels, sourceLevel, sourceMeans, sourcePosteriors } from './source-classifier.ts';

const vec = (idx: number[], val: number[]): SparseVector => ({ idx: Uint32Array.from(idx), val: Float32Array.from(val) });
const buckets = 16;

/** Three sources, each with its own marker bucket (0, 1, 2) plus shared noise buckets 8–11. */
function rows(perClass: number[]): { vectors: SparseVector[]; sources: string[] } {
  const vectors: SparseVector[] = [];
  const sources: string[] = [];
  const names = ['mmlu', 'arc', 'mbpp'];
  perClass.forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      vectors.push(vec([c, 8 + (i % 4)], [1, 0.5]));
      sources.push(names[c]!);
    }
  });
  return { vectors, sources };
}

describe('source classifier', () => {
  it('labels rows by sorted source name and leaves unlabelled rows out', () => {
    const { classes, labels } = sourceLabels(['mmlu', undefined, 'arc', 'mmlu', '']);
    expect(classes).toEqual(['arc', 'mmlu']);
    expect(Array.from(labels)).toEqual([1, -1, 0, 1, -1]);
  });

  it('gives a prompt with a source marker most of that source, and posteriors that sum to 1', () => {
    const { vectors, sources } = rows([40, 30, 20]);
    const { classes, labels } = sourceLabels(sources);
    const clf = fitSourceClassifier(vectors, labels, classes, buckets, { l2: 1, iterations: 25 })!;
    expect(clf.classes).toEqual(['arc', 'mbpp', 'mmlu']);
    expect(Array.from(clf.prior)).toEqual([30 / 90, 20 / 90, 40 / 90]);
    const out = new Float64Array(3);
    sourcePosteriors(clf, vec([1, 9], [1, 0.5]), out); // arc's marker
    expect(out[0]).toBeGreaterThan(0.8);
    expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(1, 9);
    sourcePosteriors(clf, vec([2, 10], [1, 0.5]), out); // mbpp's marker, the smallest class
    expect(out[1]).toBeGreaterThan(0.8);
    for (const p of out) expect(p).toBeGreaterThanOrEqual(0);
  });

  it('falls back to the training shares for a prompt unlike any source (unseen buckets, or none)', () => {
    const { vectors, sources } = rows([40, 30, 20]);
    const { classes, labels } = sourceLabels(sources);
    const clf = fitSourceClassifier(vectors, labels, classes, buckets, { l2: 1, iterations: 25 })!;
    const out = new Float64Array(3);
    sourcePosteriors(clf, vec([14, 15], [1, 1]), out);
    expect(Array.from(out).map((p) => p.toFixed(6))).toEqual(Array.from(clf.prior).map((p) => p.toFixed(6)));
    sourcePosteriors(clf, vec([], []), out);
    expect(out[2]).toBeCloseTo(40 / 90, 6);
    // Coordinates beyond the classifier's buckets (dense and task features of a shared vector) are ignored.
    sourcePosteriors(clf, vec([20, 21], [3, 1]), out);
    expect(out[2]).toBeCloseTo(40 / 90, 6);
  });

  it('needs two sources', () => {
    const { vectors, sources } = rows([10, 0, 0]);
    const { classes, labels } = sourceLabels(sources);
    expect(fitSourceClassifier(vectors, labels, classes, buckets, { l2: 1, iterations: 25 })).toBeNull();
  });

  it('scores each training row with a classifier that never saw it', () => {
    // One odd row: an arc prompt that carries only mmlu's marker. In-sample it would pull its own
    // weight; out of fold it is scored by classifiers that learned "marker 0 = mmlu" without it.
    const { vectors, sources } = rows([30, 30, 0]);
    vectors.push(vec([0], [1]));
    sources.push('arc');
    const { classes, labels } = sourceLabels(sources);
    const oof = outOfFoldPosteriors(vectors, labels, classes, buckets, { l2: 0.1, iterations: 25, folds: 3 }, 7);
    expect(oof).toHaveLength(61);
    const odd = oof[60]!;
    expect(odd[classes.indexOf('mmlu')]).toBeGreaterThan(0.9);
    const inSample = fitSourceClassifier(vectors, labels, classes, buckets, { l2: 0.1, iterations: 25 })!;
    const seen = sourcePosteriors(inSample, vectors[60]!, new Float64Array(2));
    expect(seen[classes.indexOf('arc')]).toBeGreaterThan(odd[classes.indexOf('arc')]!);
    // Deterministic for a seed.
    expect(outOfFoldPosteriors(vectors, labels, classes, buckets, { l2: 0.1, iterations: 25, folds: 3 }, 7)).toEqual(oof);
  });

  it('levels: per-source mean outcome per model, smoothed towards its overall mean, weighted by the posteriors', () => {
    const scores: Array<Record<string, number>> = [{ a: 1, b: 0 }, { a: 1, b: 0 }, { a: 0 }, { a: 0, b: 1 }, { a: 1 }];
    const labels = [0, 0, 1, 1, -1];
    const means = sourceMeans(scores, labels, 2, ['a', 'b'], 2);
    // a: overall 3/5; source 0 (1, 1) → (2 + 2·0.6)/(2 + 2); source 1 (0, 0) → (0 + 1.2)/4.
    expect(means.get('a')![0]).toBeCloseTo(3.2 / 4, 9);
    expect(means.get('a')![1]).toBeCloseTo(1.2 / 4, 9);
    // b: overall 1/3; source 0 (0, 0) → (2/3)/4; source 1 (1) → (1 + 2/3)/3.
    expect(means.get('b')![0]).toBeCloseTo(2 / 3 / 4, 9);
    expect(means.get('b')![1]).toBeCloseTo(5 / 3 / 3, 9);
    expect(sourceLevel(means.get('a')!, [0.25, 0.75])).toBeCloseTo(0.25 * 0.8 + 0.75 * 0.3, 9);
    // A model with no rows of a source gets its overall mean there.
    expect(sourceMeans([{ a: 1 }, { a: 0 }], [0, 0], 2, ['a'], 2).get('a')![1]).toBeCloseTo(0.5, 9);
  });
});
