import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { pairMetrics, randomRouterMetrics, type PairMetrics } from './routellm-metrics.ts';
import { routerBenchMetrics, type RouterBenchMetrics } from './routerbench-metrics.ts';

export interface PairReport extends PairMetrics {
  strong: string;
  weak: string;
  rows: number;
  random: { apgr: number; cpt50: number; cpt80: number };
}

export interface DatasetReport {
  dataset: string;
  rows: number;
  pair: PairReport | null;
  costQuality: (RouterBenchMetrics & { models: string[] }) | null;
}

export const DEFAULT_STRONG = 'gpt-4-1106-preview';
export const DEFAULT_WEAK = 'mixtral-8x7b-instruct';

/**
 * The router's score for sending a row to the strong model: the predicted gain in the chance of a good
 * answer. A router deciding between two models needs exactly this difference, not either level.
 */
export function strongPreference(predicted: Record<string, number>, strong: string, weak: string): number {
  return (predicted[strong] ?? 0) - (predicted[weak] ?? 0);
}

/** Metrics per dataset (the rows' `dataset` field, or `all`) from held-out predictions. */
export function evaluateRouting(
  rows: readonly OutcomeRow[],
  predicted: ReadonlyArray<Record<string, number>>,
  estimatedCostUsd: ReadonlyArray<Record<string, number>>,
  pair: { strong: string; weak: string },
): DatasetReport[] {
  const groups = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = row.dataset ?? 'all';
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  const reports: DatasetReport[] = [];
  for (const [dataset, idx] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    reports.push({ dataset, rows: idx.length, pair: pairReport(rows, predicted, idx, pair), costQuality: costReport(rows, predicted, estimatedCostUsd, idx) });
  }
  return reports;
}

function pairReport(
  rows: readonly OutcomeRow[],
  predicted: ReadonlyArray<Record<string, number>>,
  idx: readonly number[],
  { strong, weak }: { strong: string; weak: string },
): PairReport | null {
  const usable = idx.filter((i) => rows[i]!.scores[strong] !== undefined && rows[i]!.scores[weak] !== undefined);
  if (usable.length === 0) return null;
  const strongScores = usable.map((i) => rows[i]!.scores[strong]!);
  const weakScores = usable.map((i) => rows[i]!.scores[weak]!);
  const metrics = pairMetrics(
    usable.map((i) => strongPreference(predicted[i]!, strong, weak)),
    strongScores,
    weakScores,
  );
  return { ...metrics, strong, weak, rows: usable.length, random: randomRouterMetrics(strongScores, weakScores, 10, 1) };
}

function costReport(
  rows: readonly OutcomeRow[],
  predicted: ReadonlyArray<Record<string, number>>,
  estimatedCostUsd: ReadonlyArray<Record<string, number>>,
  idx: readonly number[],
): (RouterBenchMetrics & { models: string[] }) | null {
  const withCosts = idx.filter((i) => rows[i]!.costs !== undefined);
  if (withCosts.length === 0) return null;
  // Only models with an outcome and a cost on every row can be compared fairly.
  const models = Object.keys(rows[withCosts[0]!]!.scores)
    .filter((m) => withCosts.every((i) => rows[i]!.scores[m] !== undefined && rows[i]!.costs?.[m] !== undefined))
    .sort();
  if (models.length < 2) return null;
  const metrics = routerBenchMetrics({
    models,
    predicted: withCosts.map((i) => models.map((m) => predicted[i]![m] ?? 0)),
    estimatedCostUsd: withCosts.map((i) => models.map((m) => estimatedCostUsd[i]![m] ?? 0)),
    quality: withCosts.map((i) => models.map((m) => rows[i]!.scores[m]!)),
    costUsd: withCosts.map((i) => models.map((m) => rows[i]!.costs![m]!)),
  });
  return { ...metrics, models };
}
