import { describe, expect, it } from 'vitest';
import type { CandidateScore } from '../../store/types.ts';
import { calibrate, MIN_COST_CELL_ROWS, QUALITY_PRIOR_SAMPLES } from './calibrate.ts';
import type { HistoryRow } from './load-history.ts';
import { expectedQuality } from './replay.ts';

function candidate(model: string, predictedQuality: number, estCostUsd = 0.001): CandidateScore {
  return { model, predictedQuality, estCostUsd, estLatencyMs: 500, score: 0, eligible: true };
}

let n = 0;
function row(model: string, taskType: string, opts: { costUsd?: number; estCostUsd?: number; quality?: number | null; predicted?: number } = {}): HistoryRow {
  n += 1;
  return {
    requestId: `req-${n}`,
    createdAt: n,
    routingModel: 'auto',
    taskType,
    complexity: 0.5,
    goal: 'cost',
    chosenModel: model,
    modelUsed: model,
    status: 200,
    costUsd: opts.costUsd ?? 0.001,
    latencyMs: 500,
    candidates: [candidate(model, opts.predicted ?? 0.8, opts.estCostUsd ?? 0.001), candidate('other', 0.9)],
    rules: [],
    quality: opts.quality === undefined ? null : opts.quality,
  };
}

const times = <T>(k: number, make: () => T): T[] => Array.from({ length: k }, make);

describe('cost calibration per model and task type', () => {
  // mini answers chat at half its estimate and classification at 7×: one ratio for both misses both.
  const rows = [
    ...times(MIN_COST_CELL_ROWS, () => row('mini', 'chat', { costUsd: 0.0005 })),
    ...times(MIN_COST_CELL_ROWS, () => row('mini', 'classification', { costUsd: 0.007 })),
    ...times(MIN_COST_CELL_ROWS - 1, () => row('mini', 'qa', { costUsd: 0.002 })),
  ];
  const cal = calibrate(rows);

  it('uses a task type’s own ratio once it has enough answered requests', () => {
    expect(cal.costCell('mini', 'chat')).toEqual({ basis: 'model × task type', ratio: 0.5, rows: MIN_COST_CELL_ROWS });
    expect(cal.costRatio('mini', 'classification')).toBeCloseTo(7, 9);
  });

  it('falls back to the model’s ratio over all task types below the threshold, and says so', () => {
    const pooled = (MIN_COST_CELL_ROWS * (0.0005 + 0.007) + (MIN_COST_CELL_ROWS - 1) * 0.002) / ((3 * MIN_COST_CELL_ROWS - 1) * 0.001);
    for (const cell of [cal.costCell('mini', 'qa'), cal.costCell('mini')]) {
      expect(cell).toMatchObject({ basis: 'model', rows: 3 * MIN_COST_CELL_ROWS - 1 });
      expect(cell.ratio).toBeCloseTo(pooled, 9);
    }
    expect(cal.costCell('never-answered', 'chat')).toEqual({ basis: 'none', ratio: 1, rows: 0 });
  });
});

describe('quality shrunk toward what was measured', () => {
  it('weights the model’s measured mean on the task type n : prior against the prediction', () => {
    // 30 ratings at 0.6 against predictions of 0.9: three quarters of the way to the measurement.
    const cal = calibrate(times(30, () => row('mini', 'qa', { quality: 0.6, predicted: 0.9 })));
    const w = 30 / (30 + QUALITY_PRIOR_SAMPLES);
    expect(cal.quality(candidate('mini', 0.95), 'qa')).toBeCloseTo(w * 0.6 + (1 - w) * 0.95, 9);
    // Unrated elsewhere: the prediction as is, with the uncertainty of no measurement.
    expect(cal.quality(candidate('mini', 0.95), 'chat')).toBe(0.95);
    expect(cal.qualityVariance('mini', 'chat')).toBeGreaterThan(cal.qualityVariance('mini', 'qa'));
  });

  it('anchors a switched request on its own measured quality plus the models’ expected difference', () => {
    const history = [
      ...times(20, () => row('mini', 'qa', { quality: 0.7, predicted: 0.8 })),
      ...times(20, () => row('other', 'qa', { quality: 0.9, predicted: 0.9 })),
    ];
    const cal = calibrate(history);
    const hard = row('other', 'qa', { quality: 0, predicted: 0.9 });
    const difference = cal.quality(candidate('mini', 0.8), 'qa') - cal.quality(candidate('other', 0.9), 'qa');
    // A prompt the stronger model failed is expected to go no better on the weaker one.
    expect(expectedQuality(hard, candidate('mini', 0.8), cal)).toBeCloseTo(0 + difference, 9);
    expect(difference).toBeLessThan(0);
    // Without a measurement of its own, the request gets the model's level.
    const unrated = row('other', 'qa', { quality: null, predicted: 0.9 });
    expect(expectedQuality(unrated, candidate('mini', 0.8), cal)).toBeCloseTo(cal.quality(candidate('mini', 0.8), 'qa'), 9);
  });
});
