import { describe, expect, it } from 'vitest';
import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { evaluateRouting, modelsToScore, PROXY_PAIRS } from './evaluate-routing.ts';

const proxy = PROXY_PAIRS[0]!;

function alpacaRow(i: number, weakScore: number): OutcomeRow {
  return {
    id: `alpacaeval/${i}`,
    dataset: 'alpacaeval',
    prompt: `instruction ${i}`,
    scores: { [proxy.strong]: 0.5, 'gpt-3.5-turbo-1106': 0.1, [proxy.weak]: weakScore },
  };
}

describe('proxy pairs', () => {
  it('asks for the served stand-in only on rows of the proxy dataset that have the stand-in outcome', () => {
    expect(modelsToScore(alpacaRow(0, 0.2))).toContain(proxy.servedWeak);
    const mmlu: OutcomeRow = { id: 'mmlu/x/1', dataset: 'mmlu', prompt: 'q', scores: { [proxy.strong]: 1 } };
    expect(modelsToScore(mmlu)).toEqual([proxy.strong]);
  });

  it('scores the pair on the stand-in outcomes with the served model prediction', () => {
    const rows = Array.from({ length: 20 }, (_, i) => alpacaRow(i, i < 10 ? 0 : 0.5));
    // The served weak model is predicted worse exactly where the stand-in lost: a perfect ranking.
    const predicted = rows.map((_, i) => ({ [proxy.strong]: 0.9, 'gpt-3.5-turbo-1106': 0.5, [proxy.servedWeak]: i < 10 ? 0.1 : 0.8 }));
    const [report] = evaluateRouting(
      rows,
      predicted,
      rows.map(() => ({})),
      { strong: proxy.strong, weak: proxy.servedWeak },
    );
    expect(report!.pair!.weak).toBe('gpt-3.5-turbo-1106');
    const mt = report!.proxies!.find((p) => p.name === proxy.name)!;
    expect(mt.weak).toBe(proxy.weak);
    expect(mt.apgr).toBeCloseTo(mt.oracle.apgr);
    expect(mt.apgr).toBeGreaterThan(mt.random.apgr);
  });

  it('leaves the proxy out when the served model was not predicted', () => {
    const rows = [alpacaRow(0, 0), alpacaRow(1, 0.5)];
    const predicted = rows.map(() => ({ [proxy.strong]: 0.9, 'gpt-3.5-turbo-1106': 0.5 }));
    const [report] = evaluateRouting(
      rows,
      predicted,
      rows.map(() => ({})),
      { strong: proxy.strong, weak: proxy.servedWeak },
    );
    expect(report!.proxies).toBeUndefined();
  });
});

describe('fold spread', () => {
  it('reports each fold alone for k-fold and nothing when a dataset sits in one fold', () => {
    const rows: OutcomeRow[] = Array.from({ length: 40 }, (_, i) => ({
      id: `d/${i}`,
      dataset: 'd',
      prompt: `p${i}`,
      scores: { s: 1, w: i % 2 },
    }));
    // Fold 0 ranks perfectly (the weak model's misses score highest), fold 1 inverts the ranking.
    const predicted = rows.map((_, i) => ({ s: 0.9, w: i < 20 === (i % 2 === 0) ? 0.1 : 0.8 }));
    const folds = Uint8Array.from(rows, (_, i) => (i < 20 ? 0 : 1));
    const [report] = evaluateRouting(
      rows,
      predicted,
      rows.map(() => ({})),
      { strong: 's', weak: 'w' },
      folds,
    );
    const [good, bad] = report!.byFold!.apgr as [number, number];
    expect(good).toBeGreaterThan(0.7);
    expect(bad).toBeLessThan(0.3);
    expect(report!.byFold!.areaVsZero).toEqual([null, null]);
    const one = evaluateRouting(
      rows,
      predicted,
      rows.map(() => ({})),
      { strong: 's', weak: 'w' },
      new Uint8Array(rows.length),
    );
    expect(one[0]!.byFold).toBeUndefined();
  });
});

describe('zero router from training means', () => {
  // `cheap` costs 1, `dear` costs 10 and is right twice as often on the scored rows.
  const rows: OutcomeRow[] = Array.from({ length: 30 }, (_, i) => ({
    id: `held/${i}`,
    dataset: 'held',
    prompt: `p${i}`,
    scores: { cheap: i % 3 === 0 ? 1 : 0, dear: i % 3 === 2 ? 0 : 1 },
    costs: { cheap: 1, dear: 10 },
  }));
  const predicted = rows.map(() => ({ cheap: 0.5, dear: 0.5 }));
  const estimated = rows.map(() => ({ cheap: 1, dear: 10 }));
  const folds = new Uint8Array(rows.length);
  const report = (means: Record<string, number>) =>
    evaluateRouting(rows, predicted, estimated, { strong: 'dear', weak: 'cheap' }, folds, [means])[0]!.costQuality!;

  it('reaches the zero router when the training means order the models as the scored rows do', () => {
    const right = report({ cheap: 0.4, dear: 0.7 });
    expect(right.trainedZeroArea).toBeCloseTo(right.zeroArea);
  });

  it('falls below it when the training means rank the cheap model first', () => {
    const wrong = report({ cheap: 0.8, dear: 0.7 });
    expect(wrong.trainedZeroArea!).toBeLessThan(wrong.zeroArea - 0.1);
  });

  it('is absent without training means', () => {
    const [plain] = evaluateRouting(rows, predicted, estimated, { strong: 'dear', weak: 'cheap' }, folds);
    expect(plain!.costQuality!.trainedZeroArea).toBeUndefined();
  });
});
