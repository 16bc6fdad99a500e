// The recommendation analyses: routing decisions in hindsight, policy replay, rule search and plans.
export { buildRecommendations, RecommendParams, MIN_REQUESTS, MIN_RATED_REQUESTS, type Recommendations } from './build-recommendations.ts';
export {
  analyzeDecisions,
  analyzeRules,
  bestInHindsight,
  type DecisionAnalysis,
  type RuleStats,
  type AbArmStats,
  type MissedDecision,
} from './decision-analysis.ts';
export { calibrate, type Calibration } from './calibrate.ts';
export { loadHistory, type History, type HistoryRow } from './load-history.ts';
export { replayPolicyChange, replayChoice, type ReplayContext, type ReplayResult } from './replay.ts';
export { searchRuleChanges, type SearchConstraints, type SearchHit } from './search.ts';
export { toExpectedImpact } from './assess.ts';
export { storeRecommendations, listRecommendations, ruleOfStoredRecommendation, StoredRecommendationError } from './store-recommendations.ts';
export { formatRecommendationMarkdown, describeImpact } from './format-recommendation.ts';
export type * from './types.ts';
