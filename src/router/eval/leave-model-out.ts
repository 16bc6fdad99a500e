import { IrtQualityPredictor } from '../predictor/irt-predictor.ts';
import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { prepareRows, type PreparedRow } from '../predictor/prepare-rows.ts';
import { DEFAULT_TRAIN_OPTIONS, trainOnPrepared, type TrainOptions, type TrainProgress } from '../predictor/train.ts';
import { estimateCostUsd, fitCostLines } from './cost-estimate.ts';
import type { HeldOutPredictions } from './cross-validate.ts';

/**
 * Leave models out: how the router serves a model it has no outcomes for, as a user adding a model to
 * `aigw.yaml` with one leaderboard number. Each scored model gets its predictions from a predictor
 * trained without any of its rows, that knows it only by a catalog prior (`quality.default`): its mean
 * outcome on one *other* dataset than the row's (the one where it has the most rows).
 *
 * Models that appear in one dataset only have no such prior and are not scored (their predictions
 * stay absent; the metrics then skip them). Models are left out in `groups` groups (round-robin over
 * the sorted ids), so the cost is `groups` trainings rather than one per model; a group's predictor also
 * lacks the other models of the group, which makes the test slightly harder, never easier.
 */
export interface LeaveModelOutOptions {
  groups: number;
  seed: number;
  train?: Partial<TrainOptions>;
}

/** Mean outcome per (model, dataset). */
function meansByDataset(rows: readonly OutcomeRow[]): Map<string, Map<string, { mean: number; n: number }>> {
  const sums = new Map<string, Map<string, { sum: number; n: number }>>();
  for (const row of rows) {
    for (const [model, y] of Object.entries(row.scores)) {
      const byDataset = sums.get(model) ?? new Map<string, { sum: number; n: number }>();
      const e = byDataset.get(row.dataset ?? '') ?? { sum: 0, n: 0 };
      e.sum += y;
      e.n++;
      byDataset.set(row.dataset ?? '', e);
      sums.set(model, byDataset);
    }
  }
  const out = new Map<string, Map<string, { mean: number; n: number }>>();
  for (const [model, byDataset] of sums) out.set(model, new Map([...byDataset].map(([d, e]) => [d, { mean: e.sum / e.n, n: e.n }])));
  return out;
}

/** The prior a user would copy for `model` when routing a row of `dataset`: its mean on the largest other dataset. */
export function catalogPrior(means: ReadonlyMap<string, ReadonlyMap<string, { mean: number; n: number }>>, model: string, dataset: string): number | undefined {
  let best: { mean: number; n: number; name: string } | undefined;
  for (const [name, e] of means.get(model) ?? []) {
    if (name === dataset) continue;
    if (!best || e.n > best.n || (e.n === best.n && name < best.name)) best = { ...e, name };
  }
  return best?.mean;
}

/** The models that can be scored this way (rows in ≥ 2 datasets), sorted. */
export function leaveOutCandidates(rows: readonly OutcomeRow[]): string[] {
  return [...meansByDataset(rows)]
    .filter(([, d]) => d.size >= 2)
    .map(([m]) => m)
    .sort();
}

export function leaveModelsOut(
  rows: readonly OutcomeRow[],
  options: LeaveModelOutOptions,
  onProgress?: (group: number, p: TrainProgress) => void,
  prepared?: PreparedRow[],
): HeldOutPredictions & { scoredModels: string[] } {
  const trainOpts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options.train, seed: options.train?.seed ?? options.seed };
  const all = prepared ?? prepareRows(rows, trainOpts.hashing);
  const means = meansByDataset(rows);
  const scored = leaveOutCandidates(rows);
  const groups = Math.max(1, Math.min(options.groups, scored.length));
  const allModels = [...means.keys()];
  const costLines = fitCostLines(rows, allModels);
  const predicted: Array<Record<string, number>> = rows.map(() => ({}));
  const estimatedCostUsd: Array<Record<string, number>> = rows.map((row) =>
    row.costs ? Object.fromEntries(Object.keys(row.scores).map((m) => [m, estimateCostUsd(costLines.get(m), row.prompt.length)])) : {},
  );
  for (let g = 0; g < groups; g++) {
    const left = new Set(scored.filter((_, k) => k % groups === g));
    const training = all.flatMap((row) => {
      const scores = Object.fromEntries(Object.entries(row.scores).filter(([m]) => !left.has(m)));
      return Object.keys(scores).length > 0 ? [{ ...row, scores }] : [];
    });
    const predictor = new IrtQualityPredictor(
      trainOnPrepared(training, trainOpts, (p) => onProgress?.(g, p)),
      `leave-models-out-${g}`,
    );
    rows.forEach((row, r) => {
      const prep = all[r]!;
      const item = predictor.item(prep.features, prep.taskType);
      for (const model of Object.keys(row.scores)) {
        if (!left.has(model)) continue;
        const prior = catalogPrior(means, model, row.dataset ?? '');
        if (prior === undefined) continue;
        predicted[r]![model] = predictor.probability(item, prep.taskType, { id: model, quality: { default: prior } });
      }
    });
  }
  return { predicted, estimatedCostUsd, folds: new Uint8Array(rows.length), scoredModels: scored };
}
