import { describe, expect, it } from 'vitest';
import { blendLogit, blendLogLoss, selectBlend } from './blend-select.ts';
import { createRng } from './rng.ts';

function samples(n: number, truth: (c: number, f: number, h: number) => number) {
  const rng = createRng(11);
  const coarse: number[] = [];
  const full: number[] = [];
  const hashed: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = rng() * 2 - 1;
    const f = c + (rng() * 4 - 2);
    const h = c + (rng() * 4 - 2);
    coarse.push(c);
    full.push(f);
    hashed.push(h);
    labels.push(rng() < 1 / (1 + Math.exp(-truth(c, f, h))) ? 1 : 0);
  }
  return { coarse, full, hashed, labels };
}

describe('selectBlend', () => {
  it('keeps the coarse head when the per-prompt logits are noise', () => {
    const w = selectBlend(samples(4000, (c) => c));
    expect(w.keep).toBeLessThanOrEqual(0.1);
    expect(w.hashed).toBeLessThanOrEqual(0.1);
  });

  it('finds the predictor that carries the signal', () => {
    expect(selectBlend(samples(4000, (_c, f) => f)).keep).toBeGreaterThanOrEqual(0.8);
    expect(selectBlend(samples(4000, (_c, _f, h) => h)).hashed).toBeGreaterThanOrEqual(0.8);
    const mixed = selectBlend(samples(4000, (c, f, h) => 0.5 * (f - c) + 0.5 * (h - c) + c));
    expect(mixed.keep).toBeGreaterThan(0.2);
    expect(mixed.hashed).toBeGreaterThan(0.2);
  });

  it('stays on the simplex and can leave the hashed logit out', () => {
    const s = samples(2000, (_c, _f, h) => h);
    const w = selectBlend(s, 0.1, false);
    expect(w.hashed).toBe(0);
    expect(w.keep + w.hashed).toBeLessThanOrEqual(1);
    expect(blendLogLoss(w, s)).toBeLessThanOrEqual(blendLogLoss({ keep: 0, hashed: 0 }, s) + 1e-12);
  });
});

describe('blendLogit', () => {
  it('is the convex combination of the three logits', () => {
    expect(blendLogit({ keep: 0.25, hashed: 0.5 }, 1, 2, 3)).toBeCloseTo(0.25 * 1 + 0.25 * 2 + 0.5 * 3, 12);
  });
});
