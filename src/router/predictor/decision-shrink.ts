import { routerBenchMetrics } from '../eval/routerbench-metrics.ts';

/**
 * Log loss judges each model alone, but routing takes an argmax over models, and the argmax picks
 * whichever model's noise ran high: per-model log-loss-optimal blends still lose to the zero router.
 * So on top of them one shrink factor ρ per task type is chosen by what routing gets on out-of-fold
 * predictions: the RouterBench hull area (mean hull quality from the cheapest to the dearest model,
 * cost estimate = each model's mean cost) over the training rows that have costs for ≥ 3 models.
 * Predictions shrink towards each model's constant level on the task: ρ = 0 predicts the same for every
 * prompt, which is the zero router (the best single model for the budget), so a ρ > 0 is only chosen
 * where per-prompt predictions routed better than it out of fold.
 */
export interface DecisionRows {
  models: string[];
  /** [model] constant logit of the model's success rate on the task. */
  level: number[];
  /** [row][model] out-of-fold logit of the per-model blend (before ρ). */
  blended: number[][];
  quality: number[][];
  costUsd: number[][];
}

export const SHRINK_GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1] as const;

/** Hull area for each ρ of the grid (same order). */
export function shrinkAreas(rows: DecisionRows, grid: readonly number[] = SHRINK_GRID): number[] {
  const M = rows.models.length;
  const n = rows.quality.length;
  const meanCost = new Array<number>(M).fill(0);
  for (const r of rows.costUsd) for (let m = 0; m < M; m++) meanCost[m]! += r[m]! / n;
  const estimated = rows.costUsd.map(() => meanCost);
  return grid.map((rho) => {
    const predicted = rows.blended.map((b) => b.map((z, m) => 1 / (1 + Math.exp(-(rows.level[m]! + rho * (z - rows.level[m]!))))));
    return routerBenchMetrics({ models: rows.models, predicted, estimatedCostUsd: estimated, quality: rows.quality, costUsd: rows.costUsd }).routerArea;
  });
}

/** The ρ with the largest area; a larger ρ must win by more than `margin` (less shrinkage needs evidence). */
export function chooseShrink(rows: DecisionRows, margin = 0, grid: readonly number[] = SHRINK_GRID): number {
  const areas = shrinkAreas(rows, grid);
  let best = 0;
  for (let k = 1; k < grid.length; k++) if (areas[k]! > areas[best]! + margin) best = k;
  return grid[best]!;
}
