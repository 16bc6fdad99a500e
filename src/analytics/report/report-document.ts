import { z } from 'zod';

export const REPORT_TITLE = 'LLM Routing Optimization Report';

/** Requests the client sent to a named model carry no task type: the router never classified them. */
export const UNCLASSIFIED = 'unclassified (model named by the client)';

/** A task-type breakdown's requests without one: a named model, or refused before routing (which has no model either). */
export const NO_TASK_TYPE = 'no task type (model named by the client, or refused before routing)';

/** Where a number came from: the analysis that computed it, so a reader can re-run the query. */
export const SourceId = z.string().min(1);

export const Unit = z.enum(['usd', 'ms', 'percent', 'ratio', 'score', 'count', 'per_usd']);
export type Unit = z.infer<typeof Unit>;

/** A number of the report with its unit and source; `value: null` when the data to compute it is missing. */
export const Metric = z.object({ value: z.number().nullable(), unit: Unit, source: SourceId });
export type Metric = z.infer<typeof Metric>;

export const Level = z.enum(['Low', 'Medium', 'High']);
export type Level = z.infer<typeof Level>;

/** One recommendation in the seed's "Routing Rule Recommendations" format. */
export const ReportRecommendation = z.object({
  id: z.string(),
  category: z.string(),
  current_state: z.string(),
  recommended_change: z.string(),
  /** Which traffic the change touches and which it leaves alone. */
  scope: z.string(),
  expected_impact: z.string(),
  cost_change_pct: Metric,
  quality_change: Metric,
  latency_change_pct: Metric,
  savings_usd: Metric,
  effort: Level,
  risk: Level,
  validation_criteria: z.array(z.string()),
  /** Why, from the replay: what switches and what it does to the segment. */
  rationale: z.string(),
  risk_assessment: z.object({ quality: z.string(), performance: z.string(), cost: z.string(), mitigations: z.array(z.string()) }),
  /** The config change that applies it (`aigw rules apply ID`), when it is a rule change. */
  rule: z.string().nullable(),
});
export type ReportRecommendation = z.infer<typeof ReportRecommendation>;

export const MatrixCell = z.object({
  task_type: z.string(),
  complexity_band: z.string(),
  model: z.string(),
  current_model: z.string().nullable(),
  expected_quality: Metric,
  expected_cost_usd: Metric,
  requests: Metric,
});
export type MatrixCell = z.infer<typeof MatrixCell>;

export const PlanItem = z.object({ action: z.string(), recommendation_id: z.string().nullable(), effort: Level, risk: Level, timeline: z.string() });
export type PlanItem = z.infer<typeof PlanItem>;

export const Kpi = z.object({ name: z.string(), current: Metric, target: z.string(), check: z.string() });

export const Breakdown = z.object({ name: z.string(), value: Metric, share_pct: Metric });
export type Breakdown = z.infer<typeof Breakdown>;

export const Source = z.object({ id: SourceId, analysis: z.string(), query: z.string(), sample_size: z.number().int().nonnegative() });
export type Source = z.infer<typeof Source>;

/** Routing decisions in hindsight: did the router pick the best model under the goal, and what did each rule do. */
export const DecisionSummary = z.object({
  analyzed: Metric,
  optimal_share_pct: Metric,
  missed_savings_usd: Metric,
  missed_savings_share_pct: Metric,
  by_task_type: z.array(z.object({ task_type: z.string(), analyzed: Metric, optimal_share_pct: Metric, missed_savings_usd: Metric, best_model: z.string() })),
  rules: z.array(z.object({ rule: z.string(), fires: Metric, avg_quality: Metric, avg_cost_usd: Metric, avg_latency_ms: Metric })),
  /** Rules applied to a share of traffic (`aigw rules apply ID --percent P`): the applied arm against the holdout. */
  ab_tests: z.array(
    z.object({
      rule: z.string(),
      applied_fires: Metric,
      holdout_fires: Metric,
      quality_delta: Metric,
      quality_delta_ci95: z.tuple([z.number(), z.number()]).nullable(),
      cost_delta_usd: Metric,
      verdict: z.string(),
    }),
  ),
});
export type DecisionSummary = z.infer<typeof DecisionSummary>;

export const CostReductionPlanSection = z.object({
  target_pct: Metric,
  reachable: z.boolean(),
  expected_reduction_pct: Metric,
  expected_quality: Metric,
  recommendation_ids: z.array(z.string()),
  statement: z.string(),
  trade_offs: z.array(z.object({ quality_floor: z.number(), expected_reduction_pct: Metric, expected_quality: Metric })),
});

/** The same search under each goal, replayed: the trade-off when goals conflict. */
export const GoalScenarioRow = z.object({
  goal: z.enum(['cost', 'speed', 'quality', 'balanced']),
  recommendations: Metric,
  avg_cost_usd: Metric,
  avg_quality: Metric,
  avg_latency_ms: Metric,
  cost_change_pct: Metric,
});

/** A bottleneck the window shows (the seed's step 3), in a sentence, with its key number and source. */
export const Finding = z.object({ area: z.enum(['performance', 'cost', 'quality']), finding: z.string(), metric: Metric });
export type Finding = z.infer<typeof Finding>;
export const FINDING_AREA_LABEL: Record<Finding['area'], string> = { performance: 'Performance', cost: 'Cost', quality: 'Quality' };

/** One task type's model shares (percent of its routed requests), now and with the recommended rules. */
export const ModelMixRow = z.object({
  task_type: z.string(),
  requests: Metric,
  current: z.array(z.object({ model: z.string(), share_pct: Metric })),
  recommended: z.array(z.object({ model: z.string(), share_pct: Metric })),
});
export type ModelMixRow = z.infer<typeof ModelMixRow>;

/** `aigw router status` in the report: the live router, what it has learned, and its last candidate evaluations. */
export const RouterLearningStatus = z.object({
  live_version: z.string(),
  promoted_model: z.string().nullable(),
  learning_enabled: z.boolean(),
  explore_share: z.number(),
  learned_state: z.string(),
  outcomes: z.array(z.object({ model: z.string(), task_type: z.string(), outcomes: z.number(), mean_score: z.number(), explored: z.number() })),
  evaluations: z.array(z.object({ at: z.string(), version: z.string(), status: z.string(), reason: z.string() })),
});
export type RouterLearningStatus = z.infer<typeof RouterLearningStatus>;

/** The alert states now (src/alerts): what is firing, what could not be judged, failing destinations. */
export const AlertStatus = z.object({
  firing: z.array(z.object({ rule_id: z.string(), subject: z.string(), severity: z.string(), message: z.string(), since: z.string() })),
  insufficient_data: z.number(),
  failing_destinations: z.array(z.string()),
});
export type AlertStatus = z.infer<typeof AlertStatus>;

export const MonitoringStatus = z.object({ router: RouterLearningStatus, alerts: AlertStatus });
export type MonitoringStatus = z.infer<typeof MonitoringStatus>;

export const TrendPoint = z.object({ bucket_start: z.string(), cost_usd: z.number(), requests: z.number() });

export const ReportDocument = z.object({
  title: z.literal(REPORT_TITLE),
  generated_at: z.string(),
  parameters: z.object({
    from: z.string(),
    to: z.string(),
    timeframe: z.string(),
    task_types: z.array(z.string()),
    goal: z.enum(['cost', 'speed', 'quality', 'balanced']),
    cost_threshold_usd: z.number().nullable(),
    quality_threshold: z.number().nullable(),
    target_reduction: z.number(),
  }),
  executive_summary: z.object({
    analysis_period: z.string(),
    total_requests: Metric,
    /** Of those, the requests the router decided (the ones the recommendations replay). */
    routed_requests: Metric,
    avg_cost_usd: Metric,
    avg_quality: Metric,
    optimization_potential_pct: Metric,
    recommended_actions: Metric,
  }),
  current_state: z.object({
    performance: z.object({
      avg_routing_latency_ms: Metric,
      p95_routing_latency_ms: Metric,
      avg_request_latency_ms: Metric,
      success_rate_pct: Metric,
      failure_rate_pct: Metric,
      /** Requests that reached a model, per model (shares of those requests). */
      model_distribution: z.array(Breakdown),
      /** Requests refused before a model was chosen (authentication, budget, rate limit, invalid request): no model, no quality sample. */
      rejected_before_routing: Metric,
      peak_usage: z.string(),
    }),
    cost: z.object({
      total_spend_usd: Metric,
      by_task_type: z.array(Breakdown),
      by_model: z.array(Breakdown),
      by_tier: z.array(Breakdown),
      budget_utilization_pct: Metric,
      /** Where the prices behind every cost come from (config, price dataset and version, unknown). */
      price_sources: z.string(),
      trend_direction: z.enum(['up', 'down', 'flat', 'unknown']),
      trend_change_pct: Metric,
      trend: z.array(TrendPoint),
    }),
    quality: z.object({
      avg_quality: Metric,
      by_model: z.array(Breakdown),
      completion_rate_pct: Metric,
      quality_cost_correlation: Metric,
    }),
    decisions: DecisionSummary,
    /** Performance, cost and quality bottlenecks (identify_bottlenecks, identify_cost_drivers, identify_quality_issues). */
    bottlenecks: z.array(Finding),
  }),
  opportunities: z.object({
    high: z.array(ReportRecommendation),
    medium: z.array(ReportRecommendation),
    low: z.array(ReportRecommendation),
    cost_reduction_plan: CostReductionPlanSection,
    trade_off_scenarios: z.array(GoalScenarioRow),
  }),
  routing_rules: z.object({ rules: z.array(ReportRecommendation), model_selection_matrix: z.array(MatrixCell) }),
  /** The seed's Model Mix Optimization: per task type, the share of its routed requests per model now and with the recommended rules. */
  model_mix: z.array(ModelMixRow),
  implementation_plan: z.object({ phase_1: z.array(PlanItem), phase_2: z.array(PlanItem), phase_3: z.array(PlanItem) }),
  expected_outcomes: z.object({
    cost_reduction_pct: Metric,
    cost_reduction_usd: Metric,
    latency_improvement_pct: Metric,
    quality_change: Metric,
    roi_timeline: z.string(),
  }),
  monitoring: z.array(Kpi),
  /** What the gateway watches while the changes roll out: the router's learning loop and the alert states. */
  monitoring_status: MonitoringStatus,
  /** Plain statements of what is missing or uncertain (insufficient data, missing metrics, conflicting goals). */
  data_gaps: z.array(z.string()),
  /** Every analysis the numbers came from, with the query it ran and the rows it saw. */
  sources: z.array(Source),
});
export type ReportDocument = z.infer<typeof ReportDocument>;
