import type { Goal } from '../../config/schema.ts';
import type { CandidateEstimate } from './estimate-candidate.ts';

/**
 * Balanced goal (the default for `auto`): cost first among the models that meet min_quality, with a
 * modest preference for quality. utility = quality − λ_cost·log10(cost / cheapest) −
 * λ_latency·log10(latency / fastest), cheapest and fastest taken among the models that meet every
 * constraint. λ_cost = 0.3: twice the price needs a predicted quality 0.09 higher, ten times the price
 * 0.3 higher — so above the floor the cheaper model wins unless a dearer one is clearly better for
 * little extra money. λ_latency = 0.1: ten times slower must be 0.1 better. (Before: 0.1 and 0.05,
 * which sent a simple question to a premium model 25× the price for a predicted +0.18.)
 */
export const BALANCED_LAMBDA_COST = 0.3;
export const BALANCED_LAMBDA_LATENCY = 0.1;
/** Added to cost and latency before taking ratios, so free local models and 0 ms estimates stay finite. */
export const COST_FLOOR_USD = 1e-6;
export const LATENCY_FLOOR_MS = 1;
/**
 * Bonus for models a fired rule prefers, added to the goal's score: 0.05 for the most preferred model,
 * 0.01 less for each next one, never below 0.01. In the cost and speed goals the score is −log10 of the
 * ratio to the best, so 0.05 lets a preferred model win while up to 12% dearer (or slower); in the
 * quality goal it wins while up to 0.05 worse.
 */
export const PREFER_BONUS_FIRST = 0.05;
export const PREFER_BONUS_STEP = 0.01;
export const PREFER_BONUS_MIN = 0.01;

/** The best cost and latency among the candidates compared; scores are ratios to these. */
export interface ScoreReference {
  minCostUsd: number;
  minLatencyMs: number;
}

export function preferBonus(preferIndex: number): number {
  return preferIndex < 0 ? 0 : Math.max(PREFER_BONUS_MIN, PREFER_BONUS_FIRST - PREFER_BONUS_STEP * preferIndex);
}

function log10Ratio(value: number, best: number, floor: number): number {
  return Math.log10((value + floor) / (best + floor));
}

/** Higher is better. Cost: −log10 cost ratio; speed: −log10 latency ratio; quality: predicted quality. */
export function goalScore(goal: Goal, c: CandidateEstimate, ref: ScoreReference): number {
  switch (goal) {
    case 'cost':
      return -log10Ratio(c.estCostUsd, ref.minCostUsd, COST_FLOOR_USD);
    case 'speed':
      return -log10Ratio(c.estLatencyMs, ref.minLatencyMs, LATENCY_FLOOR_MS);
    case 'quality':
      return c.predictedQuality;
    case 'balanced':
      return (
        c.predictedQuality -
        BALANCED_LAMBDA_COST * log10Ratio(c.estCostUsd, ref.minCostUsd, COST_FLOOR_USD) -
        BALANCED_LAMBDA_LATENCY * log10Ratio(c.estLatencyMs, ref.minLatencyMs, LATENCY_FLOOR_MS)
      );
  }
}

const EPSILON = 1e-9;

function byNumber(a: number, b: number): number {
  return Math.abs(a - b) < EPSILON ? 0 : a - b;
}

export interface Scored extends CandidateEstimate {
  score: number;
}

type CompareScored = (a: Scored, b: Scored) => number;

/** One comparator per goal, made once: the policy sorts with it on every request. */
const COMPARE_BY_GOAL: Readonly<Record<Goal, CompareScored>> = {
  cost: goalComparator('cost'),
  speed: goalComparator('speed'),
  quality: goalComparator('quality'),
  balanced: goalComparator('balanced'),
};

function goalComparator(goal: Goal): CompareScored {
  return (a, b) =>
    byNumber(b.score, a.score) ||
    (goal === 'quality' ? 0 : byNumber(b.predictedQuality, a.predictedQuality)) ||
    byNumber(a.estCostUsd, b.estCostUsd) ||
    byNumber(a.estLatencyMs, b.estLatencyMs) ||
    a.model.id.localeCompare(b.model.id);
}

/**
 * Best first by score. Ties: the quality goal takes the cheaper model, the others the better one;
 * then cheaper, then faster, then model id so the order never depends on config order by accident.
 */
export function compareByGoal(goal: Goal): CompareScored {
  return COMPARE_BY_GOAL[goal];
}

/** Highest predicted quality first; ties cheaper, then faster. */
export function compareByQuality(a: Scored, b: Scored): number {
  return (
    byNumber(b.predictedQuality, a.predictedQuality) ||
    byNumber(a.estCostUsd, b.estCostUsd) ||
    byNumber(a.estLatencyMs, b.estLatencyMs) ||
    a.model.id.localeCompare(b.model.id)
  );
}
