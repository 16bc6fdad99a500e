import { describe, expect, it } from 'vitest';
import { chooseShrink, shrinkAreas, type DecisionRows } from './decision-shrink.ts';
import { createRng } from './rng.ts';

/** Three models (cheap, mid, dear); per prompt who is right is random; `signal` says whether the blended logits know it. */
function decisionRows(signal: boolean): DecisionRows {
  const rng = createRng(9);
  const levels = [0.5, 0.7, 0.9];
  const rows: DecisionRows = { models: ['cheap', 'mid', 'dear'], level: levels.map((p) => Math.log(p / (1 - p))), blended: [], quality: [], costUsd: [] };
  for (let i = 0; i < 600; i++) {
    const q = levels.map((p) => (rng() < p ? 1 : 0));
    rows.blended.push(signal ? q.map((y) => (y ? 2.5 : -2.5)) : rows.level.map((z) => z + (rng() * 8 - 4)));
    rows.quality.push(q);
    rows.costUsd.push([1, 3, 10]);
  }
  return rows;
}

describe('chooseShrink', () => {
  it('shrinks to the coarse heads when the per-prompt logits are noise', () => {
    const rows = decisionRows(false);
    const areas = shrinkAreas(rows);
    expect(areas[0]!).toBeGreaterThan(areas[areas.length - 1]!);
    expect(chooseShrink(rows)).toBeLessThanOrEqual(0.2);
  });

  it('trusts per-prompt logits that route well', () => {
    expect(chooseShrink(decisionRows(true))).toBeGreaterThan(0);
    const areas = shrinkAreas(decisionRows(true));
    expect(areas[areas.length - 1]!).toBeGreaterThan(areas[0]! + 0.05);
  });
});
