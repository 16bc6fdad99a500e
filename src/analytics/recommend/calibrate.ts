import type { CandidateScore } from '../../store/types.ts';
import type { HistoryRow } from './load-history.ts';

/**
 * Observed quality samples that count as much as the predictor: a model's expected quality on a task type
 * is its measured mean there and the request's prediction, weighted n : 10 (empirical-Bayes shrinkage of
 * the prediction toward what was measured). Ten ratings pull the prediction halfway.
 */
export const QUALITY_PRIOR_SAMPLES = 10;

/**
 * Answered requests a (model, task type) cell needs before its own actual/estimated cost ratio is used;
 * with fewer, the model's ratio over all task types is. Output length, the part of the cost the router
 * estimates worst, depends on the task type far more than on anything else: on the demo traffic (800
 * requests, seed 1) sim-mini answers at 0.27× its estimate on creative writing and 7.7× on classification,
 * so its pooled ratio (0.75) misses some cells tenfold, while within a cell the per-request ratio spreads
 * with a coefficient of variation of 0.2–0.5 (one cell 0.74). Five rows give a cell ratio with a standard
 * error of about 0.5/√5 ≈ 22% at worst, far inside the pooled ratio's miss; below five one long answer
 * decides the ratio.
 */
export const MIN_COST_CELL_ROWS = 5;

/** Which ratio scaled a candidate's estimated cost: its task type's own, the model's over all task types, or none (no data: 1). */
export type CostBasis = 'model × task type' | 'model' | 'none';

export interface CostCalibrationCell {
  basis: CostBasis;
  ratio: number;
  /** Answered requests behind the ratio (of the cell or of the whole model). */
  rows: number;
}

/** What the history says about the router's estimates, per model (and per model and task type for quality). */
export interface Calibration {
  /** Actual cost / estimated cost of answered requests: per model and task type with enough rows, else per model (1 without data). */
  costRatio(model: string, taskType?: string): number;
  /** The ratio `costRatio` uses and where it comes from. */
  costCell(model: string, taskType?: string): CostCalibrationCell;
  latencyRatio(model: string): number;
  /**
   * The candidate's expected quality on the task type: its prediction shrunk toward the model's measured
   * mean on that task type with weight n / (n + QUALITY_PRIOR_SAMPLES), in 0–1.
   */
  quality(candidate: CandidateScore, taskType: string): number;
  /** Variance of `quality` as an estimate of the model's mean on the task type (the part more ratings shrink). */
  qualityVariance(model: string, taskType: string): number;
  /** Observed quality samples behind the correction for a model and task type. */
  qualitySamples(model: string, taskType: string): number;
}

interface Sums {
  actual: number;
  estimated: number;
  n: number;
}

interface QualitySums {
  observed: number;
  predicted: number;
  n: number;
}

const cellKey = (model: string, taskType: string): string => `${model}\u0000${taskType}`;

function ratio(s: Sums | undefined): number {
  return s !== undefined && s.estimated > 0 && s.actual > 0 ? s.actual / s.estimated : 1;
}

function add(map: Map<string, Sums>, key: string, actual: number, estimated: number): void {
  const s = map.get(key) ?? { actual: 0, estimated: 0, n: 0 };
  s.actual += actual;
  s.estimated += estimated;
  s.n += 1;
  map.set(key, s);
}

/** The candidate entry of the model that answered, when the router chose it (fallbacks are not its estimate). */
export function answeredCandidate(row: HistoryRow): CandidateScore | undefined {
  if (row.status >= 400 || row.modelUsed === null || row.modelUsed !== row.chosenModel) return undefined;
  return row.candidates.find((c) => c.model === row.modelUsed);
}

export function calibrate(rows: readonly HistoryRow[]): Calibration {
  const cost = new Map<string, Sums>();
  const latency = new Map<string, Sums>();
  const quality = new Map<string, QualitySums>();
  for (const row of rows) {
    const c = answeredCandidate(row);
    if (!c) continue;
    add(cost, c.model, row.costUsd, c.estCostUsd);
    add(cost, cellKey(c.model, row.taskType), row.costUsd, c.estCostUsd);
    add(latency, c.model, row.latencyMs, c.estLatencyMs);
    if (row.quality !== null) {
      const key = cellKey(c.model, row.taskType);
      const q = quality.get(key) ?? { observed: 0, predicted: 0, n: 0 };
      q.observed += row.quality;
      q.predicted += c.predictedQuality;
      q.n += 1;
      quality.set(key, q);
    }
  }
  const costCell = (model: string, taskType?: string): CostCalibrationCell => {
    const cell = taskType === undefined ? undefined : cost.get(cellKey(model, taskType));
    if (cell && cell.n >= MIN_COST_CELL_ROWS && ratio(cell) !== 1) return { basis: 'model × task type', ratio: ratio(cell), rows: cell.n };
    const pooled = cost.get(model);
    return pooled && ratio(pooled) !== 1 ? { basis: 'model', ratio: ratio(pooled), rows: pooled.n } : { basis: 'none', ratio: 1, rows: pooled?.n ?? 0 };
  };
  return {
    costRatio: (model, taskType) => costCell(model, taskType).ratio,
    costCell,
    latencyRatio: (model) => ratio(latency.get(model)),
    quality(candidate, taskType) {
      const q = quality.get(cellKey(candidate.model, taskType));
      const w = q ? q.n / (q.n + QUALITY_PRIOR_SAMPLES) : 0;
      // Toward the measured level, not the predictor's request-by-request spread plus an offset: the
      // predictor's slope over complexity is what the history cannot confirm for requests the model did not serve.
      const expected = q ? w * (q.observed / q.n) + (1 - w) * candidate.predictedQuality : candidate.predictedQuality;
      return Math.min(1, Math.max(0, expected));
    },
    qualityVariance(model, taskType) {
      const q = quality.get(cellKey(model, taskType));
      const mean = q ? q.observed / q.n : 0.5;
      // A binary-like signal's variance over the samples plus the predictor's worth of pseudo-samples.
      return Math.max(mean * (1 - mean), 0.01) / ((q?.n ?? 0) + QUALITY_PRIOR_SAMPLES);
    },
    qualitySamples: (model, taskType) => quality.get(cellKey(model, taskType))?.n ?? 0,
  };
}
