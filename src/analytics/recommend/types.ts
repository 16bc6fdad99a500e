import type { Goal, RoutingRule } from '../../config/schema.ts';
import type { CostCalibrationUse } from './replay.ts';

export type Level = 'Low' | 'Medium' | 'High';
export type Confidence = 'low' | 'medium' | 'high';

/** Before/after numbers of one change, from replaying the window through the changed policy. */
export interface ExpectedImpact {
  requests: number;
  /** Requests the rule matches, and those whose model it switches. */
  matchedRequests: number;
  affectedRequests: number;
  affectedShare: number;
  avgCostUsdBefore: number;
  avgCostUsdAfter: number;
  /** Over the window (scaled up when the window was sampled). */
  costChangeUsd: number;
  costChangePct: number;
  avgQualityBefore: number | null;
  avgQualityAfter: number | null;
  /** Of the requests the rule matches. */
  segmentQualityBefore: number | null;
  segmentQualityAfter: number | null;
  /**
   * 95% interval of segmentQualityAfter: the switched requests' own outcomes and the uncertainty of each
   * model's expected quality on the task type (null without quality). A replay should measure inside it.
   */
  segmentQualityInterval: [number, number] | null;
  /** Average cost per request of the requests the rule matches, before and after. */
  segmentAvgCostUsdBefore: number | null;
  segmentAvgCostUsdAfter: number | null;
  avgLatencyMsBefore: number;
  avgLatencyMsAfter: number;
  latencyChangePct: number;
  /** Share of switched requests whose new model has too few ratings for its task type: their quality is predicted, not measured. */
  predictedQualityShare: number;
  /**
   * How the switched requests were priced: per (model, task type) switched to, the actual/estimated cost
   * ratio used and whether it is the cell's own (`model × task type`) or the model's over all task types.
   */
  costCalibration: CostCalibrationUse[];
}

export interface RiskAssessment {
  level: Level;
  qualityRisk: string;
  performanceRisk: string;
  costRisk: string;
  mitigations: string[];
}

/** One routing-rule change in the seed's "Routing Rule Recommendations" format, ready for `aigw rules apply`. */
export interface RuleRecommendation {
  id: string;
  kind: 'routing_rule';
  category: string;
  title: string;
  currentState: string;
  recommendedChange: string;
  /** Which traffic the rule touches (routing models, task type, complexity) and which it leaves alone. */
  scope: string;
  rationale: string;
  rule: RoutingRule;
  /** The rule as a YAML snippet for `routing.rules`. */
  ruleYaml: string;
  expectedImpact: ExpectedImpact;
  effort: Level;
  risk: RiskAssessment;
  validationCriteria: string[];
  confidence: Confidence;
  meetsConstraints: { cost: boolean; quality: boolean };
}

export interface ModelMixChange {
  taskType: string;
  /** The task type's answered requests in the window, their observed average cost and quality (null: none rated). */
  requests: number;
  avgCostUsd: number;
  avgQuality: number | null;
  /** Share of the task type's requests per model, now and with the recommended rules. */
  current: Record<string, number>;
  recommended: Record<string, number>;
}

export interface CostReductionPlan {
  targetReductionPct: number;
  reachable: boolean;
  /** Smallest prefix of the changes (by savings) that reaches the target, or all of them when none does. */
  recommendationIds: string[];
  expectedReductionPct: number;
  expectedQuality: number | null;
  statement: string;
  /** When the target is out of reach: what lower quality floors would allow. */
  tradeOffs: Array<{ qualityFloor: number; expectedReductionPct: number; expectedQuality: number | null }>;
}

export interface PlanPhase {
  name: string;
  timeline: string;
  actions: string[];
  recommendationIds: string[];
}

export interface GoalScenario {
  goal: Goal;
  recommendationCount: number;
  avgCostUsd: number;
  avgQuality: number | null;
  avgLatencyMs: number;
  costChangePct: number;
}

export interface RecommendationSet {
  goal: Goal;
  constraints: { maxCostUsdPerRequest: number | undefined; minQuality: number };
  window: { fromMs: number; toMs: number; requests: number; analyzedRequests: number; sampleScale: number; withQualitySignal: number };
  current: { avgCostUsd: number; avgQuality: number | null; avgLatencyMs: number; totalCostUsd: number };
  confidence: Confidence;
  /** Plain statements of what data is missing, empty when nothing is. */
  missing: string[];
  recommendations: RuleRecommendation[];
  /** All recommendations together, replayed at once. */
  combinedImpact: ExpectedImpact | null;
  modelMix: ModelMixChange[];
  costReductionPlan: CostReductionPlan;
  phases: PlanPhase[];
  /** The same search under each goal, for when goals conflict. */
  scenarios: GoalScenario[];
  conflicts: string[];
}
