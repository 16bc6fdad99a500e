import type { CandidateScore } from '../../store/types.ts';
import type { HistoryRow } from './load-history.ts';

/**
 * Observed quality samples that count as much as the predictor: with n samples a model/task type's
 * observed-minus-predicted offset gets weight n / (n + 10). Ten ratings nudge the prediction halfway.
 */
export const QUALITY_PRIOR_SAMPLES = 10;

/** What the history says about the router's estimates, per model (and per model and task type for quality). */
export interface Calibration {
  /** Actual cost / estimated cost of answered requests, per model (1 without data). */
  costRatio(model: string): number;
  latencyRatio(model: string): number;
  /** Predicted quality corrected by the observed offset for this model and task type, clamped to 0–1. */
  quality(candidate: CandidateScore, taskType: string): number;
  /** Observed quality samples behind the correction for a model and task type. */
  qualitySamples(model: string, taskType: string): number;
}

interface Sums {
  actual: number;
  estimated: number;
}

interface QualitySums {
  observed: number;
  predicted: number;
  n: number;
}

function ratio(s: Sums | undefined): number {
  return s !== undefined && s.estimated > 0 && s.actual > 0 ? s.actual / s.estimated : 1;
}

function add(map: Map<string, Sums>, key: string, actual: number, estimated: number): void {
  const s = map.get(key) ?? { actual: 0, estimated: 0 };
  s.actual += actual;
  s.estimated += estimated;
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
    add(latency, c.model, row.latencyMs, c.estLatencyMs);
    if (row.quality !== null) {
      const key = `${c.model}\u0000${row.taskType}`;
      const q = quality.get(key) ?? { observed: 0, predicted: 0, n: 0 };
      q.observed += row.quality;
      q.predicted += c.predictedQuality;
      q.n += 1;
      quality.set(key, q);
    }
  }
  return {
    costRatio: (model) => ratio(cost.get(model)),
    latencyRatio: (model) => ratio(latency.get(model)),
    quality(candidate, taskType) {
      const q = quality.get(`${candidate.model}\u0000${taskType}`);
      const offset = q ? ((q.observed - q.predicted) / q.n) * (q.n / (q.n + QUALITY_PRIOR_SAMPLES)) : 0;
      return Math.min(1, Math.max(0, candidate.predictedQuality + offset));
    },
    qualitySamples: (model, taskType) => quality.get(`${model}\u0000${taskType}`)?.n ?? 0,
  };
}
