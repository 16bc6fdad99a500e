import { describe, expect, it } from 'vitest';
import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { catalogPrior, leaveModelsOut, leaveOutCandidates } from './leave-model-out.ts';
import { evaluateRouting, pairFor } from './evaluate-routing.ts';

function rows(): OutcomeRow[] {
  const out: OutcomeRow[] = [];
  for (let i = 0; i < 80; i++) {
    const hard = i % 2 === 0;
    // `strong` is right on every prompt, `weak` only on the easy ones; `solo` appears in one dataset only.
    out.push({
      id: `a${i}`,
      dataset: 'alpha',
      prompt: hard ? `Prove the ${i}th lemma about compact operators in detail.` : `What is ${i} plus one?`,
      scores: { strong: 1, weak: hard ? 0 : 1, solo: 0.5 },
    });
    out.push({
      id: `b${i}`,
      dataset: 'beta',
      prompt: hard ? `Derive the ${i}th identity of Bessel functions step by step.` : `Name color number ${i}.`,
      scores: { strong: hard ? 1 : 0.8, weak: hard ? 0.2 : 1 },
    });
  }
  return out;
}

describe('leave models out', () => {
  const data = rows();

  it('scores only models with rows in two datasets, each by its mean on the largest other one', () => {
    expect(leaveOutCandidates(data)).toEqual(['strong', 'weak']);
    const means = new Map([
      [
        'weak',
        new Map([
          ['alpha', { mean: 0.5, n: 80 }],
          ['beta', { mean: 0.6, n: 80 }],
          ['gamma', { mean: 0.1, n: 5 }],
        ]),
      ],
    ]);
    expect(catalogPrior(means, 'weak', 'alpha')).toBe(0.6);
    expect(catalogPrior(means, 'weak', 'beta')).toBe(0.5);
    expect(catalogPrior(means, 'solo', 'alpha')).toBeUndefined();
  });

  it('predicts each left-out model from a predictor that never saw its rows, and the pair still ranks', () => {
    const out = leaveModelsOut(data, { groups: 2, seed: 1, train: { epochs: 2, ridgeMinRows: 0 } });
    expect(out.scoredModels).toEqual(['strong', 'weak']);
    for (const p of out.predicted) {
      expect(Object.keys(p).sort()).toEqual(['strong', 'weak']);
      for (const v of Object.values(p)) expect(v > 0 && v < 1).toBe(true);
    }
    // Known only by its prior (mean on beta 0.9 vs 0.6), strong is predicted above weak on alpha, and the
    // predictions still vary per prompt through the learned difficulty b(x).
    const alpha = data.flatMap((r, i) => (r.dataset === 'alpha' ? [out.predicted[i]!] : []));
    const mean = (m: string) => alpha.reduce((s, p) => s + p[m]!, 0) / alpha.length;
    expect(mean('strong')).toBeGreaterThan(mean('weak'));
    expect(new Set(alpha.map((p) => p.weak!.toFixed(6))).size).toBeGreaterThan(1);
    const report = evaluateRouting(data, out.predicted, out.estimatedCostUsd, { strong: 'strong', weak: 'weak' });
    expect(report.find((d) => d.dataset === 'alpha')!.pair!.rows).toBe(80);
  });

  it('picks a pair per dataset: the asked one, else GPT-4 vs GPT-3.5, else best vs worst by mean', () => {
    const idx = data.map((_, i) => i);
    expect(pairFor(data, idx, { strong: 'strong', weak: 'weak' })).toEqual({ strong: 'strong', weak: 'weak' });
    const betaIdx = idx.filter((i) => data[i]!.dataset === 'beta');
    expect(pairFor(data, betaIdx, { strong: 'gpt-4-1106-preview', weak: 'mixtral-8x7b-instruct' })).toEqual({ strong: 'strong', weak: 'weak' });
  });
});
