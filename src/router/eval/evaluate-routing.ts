import type { OutcomeRow } from '../predictor/outcome-rows.ts';
import { oracleRouterMetrics, pairMetrics, randomRouterMetrics, type PairMetrics } from './routellm-metrics.ts';
import { routerBenchMetrics, type RouterBenchMetrics } from './routerbench-metrics.ts';

export interface PairReport extends PairMetrics {
  strong: string;
  weak: string;
  rows: number;
  random: { apgr: number; cpt50: number; cpt80: number };
  /** The router that knows each row's outcomes: the most any router can reach on these rows. */
  oracle: { apgr: number; cpt50: number; cpt80: number };
}

export interface DatasetReport {
  dataset: string;
  rows: number;
  pair: PairReport | null;
  /** Proxy pairs (PROXY_PAIRS) on this dataset, scored with the served models' predictions. */
  proxies?: Array<PairReport & { name: string; servedWeak: string }>;
  costQuality: CostQualityReport | null;
  /** k-fold only: the metrics of each fold's rows alone, the spread a difference between designs must beat. */
  byFold?: FoldSpread;
}

type CostQualityReport = RouterBenchMetrics & {
  models: string[];
  /**
   * Area of the zero router built from the training rows: each single model ranked by its mean training
   * outcome (`trainingMeans`), swept over the cost weight like the router and scored on these rows. The
   * zero router of `zeroArea` knows each model's mean on the scored rows themselves; on a dataset left out
   * of training no router can know that, and this is the baseline that knows no more than the router.
   */
  trainedZeroArea?: number;
};

export interface FoldSpread {
  /** The pair's APGR per fold (null where the fold lacks the pair). */
  apgr: Array<number | null>;
  /** Router area minus zero-router area per fold (datasets with costs only). */
  areaVsZero: Array<number | null>;
}

export const DEFAULT_STRONG = 'gpt-4-1106-preview';
export const DEFAULT_WEAK = 'mixtral-8x7b-instruct';
/** The pair of a dataset without Mixtral (AlpacaEval names it only as a "concise" variant). */
export const FALLBACK_WEAK = 'gpt-3.5-turbo-1106';

/**
 * A pair whose weak model's outcomes come from a stand-in the file does not serve: the router's score is
 * P(strong) − P(servedWeak), the outcomes are those of `weak`. AlpacaEval has Mixtral only as its
 * "concise" variant, judged against GPT-4 Turbo: GPT-4 vs Mixtral on open-ended instructions is the
 * nearest thing in the shared data to MT-Bench's GPT-4 vs Mixtral check (issue 18), which has no data here.
 */
export interface ProxyPair {
  name: string;
  dataset: string;
  strong: string;
  weak: string;
  servedWeak: string;
}

export const PROXY_PAIRS: readonly ProxyPair[] = [
  { name: 'mt-bench-proxy', dataset: 'alpacaeval', strong: DEFAULT_STRONG, weak: 'mixtral-8x7b-instruct-v0.1_concise', servedWeak: DEFAULT_WEAK },
];

/** The models to predict for a row: those with outcomes, plus the served stand-ins of its proxy pairs. */
export function modelsToScore(row: OutcomeRow): string[] {
  const ids = Object.keys(row.scores);
  for (const p of PROXY_PAIRS) if (p.dataset === row.dataset && row.scores[p.weak] !== undefined && !ids.includes(p.servedWeak)) ids.push(p.servedWeak);
  return ids;
}

/**
 * The strong/weak pair a dataset is scored on: the asked pair when the dataset has both, else GPT-4 vs
 * GPT-3.5 when present, else the dataset's best and worst model by mean outcome (RouterDC's 7 open models).
 */
export function pairFor(rows: readonly OutcomeRow[], idx: readonly number[], pair: { strong: string; weak: string }): { strong: string; weak: string } | null {
  const has = (m: string) => idx.some((i) => rows[i]!.scores[m] !== undefined);
  if (has(pair.strong) && has(pair.weak)) return pair;
  if (has(pair.strong) && has(FALLBACK_WEAK)) return { strong: pair.strong, weak: FALLBACK_WEAK };
  const mean = new Map<string, { sum: number; n: number }>();
  for (const i of idx) {
    for (const [m, y] of Object.entries(rows[i]!.scores)) {
      const e = mean.get(m) ?? { sum: 0, n: 0 };
      e.sum += y;
      e.n++;
      mean.set(m, e);
    }
  }
  const ranked = [...mean].filter(([, e]) => e.n === idx.length).sort((a, b) => b[1].sum / b[1].n - a[1].sum / a[1].n || a[0].localeCompare(b[0]));
  return ranked.length >= 2 ? { strong: ranked[0]![0], weak: ranked[ranked.length - 1]![0] } : null;
}

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
  folds?: ArrayLike<number>,
  trainingMeans?: ReadonlyArray<Record<string, number>>,
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
    const chosen = pairFor(rows, idx, pair);
    const proxies = PROXY_PAIRS.filter((p) => p.dataset === dataset).flatMap((p) => {
      const report = pairReport(rows, predicted, idx, p, p.servedWeak);
      return report ? [{ ...report, name: p.name, servedWeak: p.servedWeak }] : [];
    });
    reports.push({
      dataset,
      rows: idx.length,
      pair: chosen ? pairReport(rows, predicted, idx, chosen) : null,
      ...(proxies.length > 0 ? { proxies } : {}),
      costQuality: costReport(rows, predicted, estimatedCostUsd, idx, folds && trainingMeans ? (i) => trainingMeans[folds[i]!] : undefined),
    });
    const spread = folds && chosen ? foldSpread(rows, predicted, estimatedCostUsd, idx, chosen, folds) : null;
    if (spread) reports[reports.length - 1]!.byFold = spread;
  }
  return reports;
}

/** The dataset's metrics fold by fold, when its rows fall in two or more folds (not leave one dataset out). */
function foldSpread(
  rows: readonly OutcomeRow[],
  predicted: ReadonlyArray<Record<string, number>>,
  estimatedCostUsd: ReadonlyArray<Record<string, number>>,
  idx: readonly number[],
  { strong, weak }: { strong: string; weak: string },
  folds: ArrayLike<number>,
): FoldSpread | null {
  const names = [...new Set(idx.map((i) => folds[i]!))].sort((a, b) => a - b);
  if (names.length < 2) return null;
  const spread: FoldSpread = { apgr: [], areaVsZero: [] };
  for (const f of names) {
    const part = idx.filter((i) => folds[i] === f && rows[i]!.scores[strong] !== undefined && rows[i]!.scores[weak] !== undefined);
    spread.apgr.push(
      part.length > 0
        ? pairMetrics(
            part.map((i) => strongPreference(predicted[i]!, strong, weak)),
            part.map((i) => rows[i]!.scores[strong]!),
            part.map((i) => rows[i]!.scores[weak]!),
          ).apgr
        : null,
    );
    const cq = costReport(
      rows,
      predicted,
      estimatedCostUsd,
      idx.filter((i) => folds[i] === f),
    );
    spread.areaVsZero.push(cq ? cq.routerArea - cq.zeroArea : null);
  }
  return spread;
}

/** The pair's metrics on the rows with both outcomes; the router's score reads `servedWeak`'s prediction. */
function pairReport(
  rows: readonly OutcomeRow[],
  predicted: ReadonlyArray<Record<string, number>>,
  idx: readonly number[],
  { strong, weak }: { strong: string; weak: string },
  servedWeak = weak,
): PairReport | null {
  const usable = idx.filter((i) => rows[i]!.scores[strong] !== undefined && rows[i]!.scores[weak] !== undefined && predicted[i]![servedWeak] !== undefined);
  if (usable.length === 0) return null;
  const strongScores = usable.map((i) => rows[i]!.scores[strong]!);
  const weakScores = usable.map((i) => rows[i]!.scores[weak]!);
  const metrics = pairMetrics(
    usable.map((i) => strongPreference(predicted[i]!, strong, servedWeak)),
    strongScores,
    weakScores,
  );
  return {
    ...metrics,
    strong,
    weak,
    rows: usable.length,
    random: randomRouterMetrics(strongScores, weakScores, 10, 1),
    oracle: oracleRouterMetrics(strongScores, weakScores),
  };
}

function costReport(
  rows: readonly OutcomeRow[],
  predicted: ReadonlyArray<Record<string, number>>,
  estimatedCostUsd: ReadonlyArray<Record<string, number>>,
  idx: readonly number[],
  trainingMeanOf?: (row: number) => Record<string, number> | undefined,
): CostQualityReport | null {
  const withCosts = idx.filter((i) => rows[i]!.costs !== undefined);
  if (withCosts.length === 0) return null;
  // Only models with an outcome and a cost on every row can be compared fairly.
  const models = Object.keys(rows[withCosts[0]!]!.scores)
    .filter((m) => withCosts.every((i) => rows[i]!.scores[m] !== undefined && rows[i]!.costs?.[m] !== undefined))
    .sort();
  if (models.length < 2) return null;
  const sweep = {
    models,
    estimatedCostUsd: withCosts.map((i) => models.map((m) => estimatedCostUsd[i]![m] ?? 0)),
    quality: withCosts.map((i) => models.map((m) => rows[i]!.scores[m]!)),
    costUsd: withCosts.map((i) => models.map((m) => rows[i]!.costs![m]!)),
  };
  const metrics = routerBenchMetrics({ ...sweep, predicted: withCosts.map((i) => models.map((m) => predicted[i]![m] ?? 0)) });
  if (!trainingMeanOf) return { ...metrics, models };
  const means = withCosts.map((i) => trainingMeanOf(i));
  if (means.some((m) => m === undefined)) return { ...metrics, models };
  const trained = routerBenchMetrics({ ...sweep, predicted: means.map((m) => models.map((id) => m![id] ?? 0)) });
  return { ...metrics, models, trainedZeroArea: trained.routerArea };
}
