import { pairMetrics } from '../eval/routellm-metrics.ts';
import type { ModelQualityRef } from '../predictor/irt-predictor.ts';
import type { PromptAnalysis, QualityPredictor } from '../types.ts';
import type { LearningRow } from './learning-row.ts';

/**
 * One-sided 95% normal quantile: a candidate is promoted only when its held-out improvement is larger than
 * what chance alone gives two equally good routers in 1 comparison out of 20 on the same rows.
 */
export const PROMOTION_Z = 1.645;

export interface RouterEvaluation {
  heldOutRows: number;
  /** Time split: the held-out rows are the ones scored at or after this time. */
  splitAtMs: number;
  live: { version: string; logLoss: number; brier: number };
  candidate: { version: string; logLoss: number; brier: number };
  /** Mean of (live − candidate) log loss per row and its standard error. */
  logLossGain: number;
  logLossGainSe: number;
  /** RouteLLM APGR of the two most-observed models on held-out requests that have outcomes of both (e.g. shadow calls). */
  pair: { strong: string; weak: string; rows: number; liveApgr: number; candidateApgr: number } | null;
  promote: boolean;
  reason: string;
}

/** The newest `share` of scored rows (by scoring time) are held out; the rest train. */
export function timeSplit(rows: readonly LearningRow[], share: number): { train: LearningRow[]; heldOut: LearningRow[]; splitAtMs: number } {
  const sorted = [...rows].sort((a, b) => (a.scoredAtMs ?? 0) - (b.scoredAtMs ?? 0) || a.requestId.localeCompare(b.requestId));
  const cut = Math.max(0, Math.min(sorted.length, Math.floor(sorted.length * (1 - share))));
  return { train: sorted.slice(0, cut), heldOut: sorted.slice(cut), splitAtMs: sorted[cut]?.scoredAtMs ?? Number.POSITIVE_INFINITY };
}

function analysisOf(row: LearningRow): PromptAnalysis {
  return { features: row.features, taskType: row.taskType, complexity: 0, promptTokens: 0, language: 'en' };
}

function predictOne(predictor: QualityPredictor, row: LearningRow, model: ModelQualityRef): number {
  return predictor.predict(analysisOf(row), [model as never])[0]!;
}

/**
 * Compares a candidate router with the live one on held-out learning rows neither trained on: paired log
 * loss of the served model's outcome (every row has one), and the pair APGR where requests have outcomes
 * of two models. Promotes only on a log-loss gain larger than PROMOTION_Z standard errors, and never when
 * the pair APGR (if measurable) drops.
 */
export function compareRouters(
  heldOut: readonly LearningRow[],
  live: QualityPredictor,
  candidate: QualityPredictor,
  catalog: ReadonlyMap<string, ModelQualityRef>,
  opts: { minRows: number; splitAtMs: number },
): RouterEvaluation {
  const rows = heldOut.filter((r) => r.score !== null && r.technique === null);
  const diffs: number[] = [];
  const sums = { live: { ll: 0, br: 0 }, candidate: { ll: 0, br: 0 } };
  for (const row of rows) {
    const ref = catalog.get(row.model) ?? { id: row.model };
    const y = row.score!;
    const pl = clampP(predictOne(live, row, ref));
    const pc = clampP(predictOne(candidate, row, ref));
    const ll = logLoss(y, pl);
    const lc = logLoss(y, pc);
    diffs.push(ll - lc);
    sums.live.ll += ll;
    sums.candidate.ll += lc;
    sums.live.br += (y - pl) ** 2;
    sums.candidate.br += (y - pc) ** 2;
  }
  const n = Math.max(1, rows.length);
  const gain = diffs.reduce((s, d) => s + d, 0) / n;
  const variance = diffs.reduce((s, d) => s + (d - gain) ** 2, 0) / Math.max(1, n - 1);
  const se = Math.sqrt(variance / n);
  const pair = pairComparison(rows, live, candidate, catalog);
  const base = {
    heldOutRows: rows.length,
    splitAtMs: opts.splitAtMs,
    live: { version: live.version, logLoss: sums.live.ll / n, brier: sums.live.br / n },
    candidate: { version: candidate.version, logLoss: sums.candidate.ll / n, brier: sums.candidate.br / n },
    logLossGain: gain,
    logLossGainSe: se,
    pair,
  };
  if (rows.length < opts.minRows) return { ...base, promote: false, reason: `only ${rows.length} held-out outcomes (need ${opts.minRows}): not compared` };
  if (pair && pair.candidateApgr < pair.liveApgr) {
    return { ...base, promote: false, reason: `pair APGR on ${pair.rows} requests fell from ${pair.liveApgr.toFixed(3)} to ${pair.candidateApgr.toFixed(3)}` };
  }
  if (gain - PROMOTION_Z * se <= 0) {
    return {
      ...base,
      promote: false,
      reason: `held-out log loss gain ${gain.toFixed(4)} ± ${se.toFixed(4)} is within noise (needs > ${PROMOTION_Z} standard errors)`,
    };
  }
  return {
    ...base,
    promote: true,
    reason: `held-out log loss ${base.live.logLoss.toFixed(4)} → ${base.candidate.logLoss.toFixed(4)} (gain ${gain.toFixed(4)} > ${PROMOTION_Z} × ${se.toFixed(4)})`,
  };
}

function pairComparison(
  rows: readonly LearningRow[],
  live: QualityPredictor,
  candidate: QualityPredictor,
  catalog: ReadonlyMap<string, ModelQualityRef>,
): RouterEvaluation['pair'] {
  const byRequest = new Map<string, LearningRow[]>();
  for (const r of rows) byRequest.set(r.requestId, [...(byRequest.get(r.requestId) ?? []), r]);
  const counts = new Map<string, number>();
  for (const group of byRequest.values()) if (group.length > 1) for (const r of group) counts.set(r.model, (counts.get(r.model) ?? 0) + 1);
  const top = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([m]) => m);
  if (top.length < 2) return null;
  const groups = [...byRequest.values()].filter((g) => top.every((m) => g.some((r) => r.model === m)));
  if (groups.length < 20) return null;
  const score = (g: LearningRow[], m: string) => g.find((r) => r.model === m)!.score!;
  const meanOf = (m: string) => groups.reduce((s, g) => s + score(g, m), 0) / groups.length;
  const [strong, weak] = meanOf(top[0]!) >= meanOf(top[1]!) ? [top[0]!, top[1]!] : [top[1]!, top[0]!];
  const apgr = (p: QualityPredictor) =>
    pairMetrics(
      groups.map((g) => predictOne(p, g[0]!, catalog.get(strong) ?? { id: strong }) - predictOne(p, g[0]!, catalog.get(weak) ?? { id: weak })),
      groups.map((g) => score(g, strong)),
      groups.map((g) => score(g, weak)),
    ).apgr;
  return { strong, weak, rows: groups.length, liveApgr: apgr(live), candidateApgr: apgr(candidate) };
}

function clampP(p: number): number {
  return Math.min(1 - 1e-6, Math.max(1e-6, p));
}

function logLoss(y: number, p: number): number {
  return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
}
