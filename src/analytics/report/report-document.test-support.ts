import { REPORT_TITLE, type Metric, type ReportDocument, type ReportRecommendation } from './report-document.ts';

const metric = (value: number | null, unit: Metric['unit'], source: string): Metric => ({ value, unit, source });

/** A small, complete report document with known numbers, for the renderer tests. */
export function sampleReportDocument(overrides: Partial<ReportDocument> = {}): ReportDocument {
  const rule: ReportRecommendation = {
    id: 'rec_cheap_qa',
    category: 'Route simple QA to sim-small',
    current_state: 'qa at low complexity goes to sim-large (62% of qa requests)',
    recommended_change: 'Add rule qa-low-to-small: task_type qa, complexity < 0.4 → sim-small',
    scope:
      'qa requests with complexity ≤ 0.4 sent to `auto`, `auto-cost` (400 in the window); not requests to `auto-quality`, `auto-speed`, nor requests that name a model',
    expected_impact: 'Replayed over 400 qa requests: 41% cheaper at quality 0.86 (was 0.88)',
    cost_change_pct: metric(-41.2, 'percent', 'recommendations'),
    quality_change: metric(-0.02, 'score', 'recommendations'),
    latency_change_pct: metric(-18, 'percent', 'recommendations'),
    savings_usd: metric(1.234567, 'usd', 'recommendations'),
    effort: 'Low',
    risk: 'Low',
    validation_criteria: ['qa quality stays ≥ 0.8 over 200 rated requests', 'qa cost per request falls ≥ 30%'],
    rationale: 'Replaying 400 qa decisions with the rule switches 250 to sim-small.',
    risk_assessment: {
      quality: 'segment quality 0.880 → 0.860 (floor 0.80)',
      performance: 'average latency 900 → 700 ms',
      cost: 'average cost $0.000700 → $0.000400',
      mitigations: ['apply as an A/B split first'],
    },
    rule: 'routing:\n  rules:\n    - name: qa-low-to-small\n',
  };
  return {
    title: REPORT_TITLE,
    generated_at: '2026-01-08T00:00:00.000Z',
    parameters: {
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-01-08T00:00:00.000Z',
      timeframe: '7d',
      task_types: [],
      goal: 'cost',
      cost_threshold_usd: 0.01,
      quality_threshold: 0.8,
      target_reduction: 0.2,
    },
    executive_summary: {
      analysis_period: '2026-01-01T00:00:00.000Z – 2026-01-08T00:00:00.000Z (7d)',
      total_requests: metric(1234, 'count', 'routing_analytics'),
      routed_requests: metric(1100, 'count', 'recommendations'),
      avg_cost_usd: metric(0.00321, 'usd', 'routing_costs'),
      avg_quality: metric(0.842, 'score', 'quality_metrics'),
      optimization_potential_pct: metric(41.2, 'percent', 'recommendations'),
      recommended_actions: metric(1, 'count', 'recommendations'),
    },
    current_state: {
      performance: {
        avg_routing_latency_ms: metric(0.084, 'ms', 'routing_analytics'),
        p95_routing_latency_ms: metric(0.2, 'ms', 'routing_analytics'),
        avg_request_latency_ms: metric(812.5, 'ms', 'routing_analytics'),
        success_rate_pct: metric(98.5, 'percent', 'routing_analytics'),
        failure_rate_pct: metric(1.5, 'percent', 'routing_analytics'),
        model_distribution: [
          { name: 'sim-large', value: metric(800, 'count', 'routing_analytics'), share_pct: metric(64.8, 'percent', 'routing_analytics') },
          { name: 'sim-small', value: metric(434, 'count', 'routing_analytics'), share_pct: metric(35.2, 'percent', 'routing_analytics') },
        ],
        rejected_before_routing: metric(56, 'count', 'routing_analytics'),
        peak_usage: 'Tuesdays 14:00 UTC (96 requests in the busiest hour)',
      },
      cost: {
        total_spend_usd: metric(3.96, 'usd', 'routing_costs'),
        by_task_type: [{ name: 'qa', value: metric(2.5, 'usd', 'routing_costs'), share_pct: metric(63.1, 'percent', 'routing_costs') }],
        by_model: [{ name: 'sim-large', value: metric(3.5, 'usd', 'routing_costs'), share_pct: metric(88.4, 'percent', 'routing_costs') }],
        by_tier: [{ name: 'premium', value: metric(3.5, 'usd', 'routing_costs'), share_pct: metric(88.4, 'percent', 'routing_costs') }],
        budget_utilization_pct: metric(null, 'percent', 'routing_costs'),
        price_sources: '6 models priced in aigw.yaml',
        trend_direction: 'up',
        trend_change_pct: metric(12.5, 'percent', 'routing_costs'),
        trend: [
          { bucket_start: '2026-01-01T00:00:00.000Z', cost_usd: 0.5, requests: 150 },
          { bucket_start: '2026-01-02T00:00:00.000Z', cost_usd: 0.6, requests: 170 },
          { bucket_start: '2026-01-03T00:00:00.000Z', cost_usd: 0.55, requests: 160 },
        ],
      },
      quality: {
        avg_quality: metric(0.842, 'score', 'quality_metrics'),
        by_model: [{ name: 'sim-large', value: metric(0.88, 'score', 'quality_metrics'), share_pct: metric(null, 'percent', 'quality_metrics') }],
        completion_rate_pct: metric(97.1, 'percent', 'quality_metrics'),
        quality_cost_correlation: metric(0.31, 'ratio', 'quality_metrics'),
      },
      decisions: {
        analyzed: metric(600, 'count', 'recommendations'),
        optimal_share_pct: metric(58.5, 'percent', 'recommendations'),
        missed_savings_usd: metric(0.42, 'usd', 'recommendations'),
        missed_savings_share_pct: metric(21, 'percent', 'recommendations'),
        by_task_type: [
          {
            task_type: 'qa',
            analyzed: metric(400, 'count', 'recommendations'),
            optimal_share_pct: metric(40, 'percent', 'recommendations'),
            missed_savings_usd: metric(0.4, 'usd', 'recommendations'),
            best_model: 'sim-small',
          },
        ],
        rules: [
          {
            rule: 'cheap-summaries',
            fires: metric(120, 'count', 'recommendations'),
            avg_quality: metric(0.9, 'score', 'recommendations'),
            avg_cost_usd: metric(0.0002, 'usd', 'recommendations'),
            avg_latency_ms: metric(300, 'ms', 'recommendations'),
          },
        ],
        ab_tests: [
          {
            rule: 'try-small',
            applied_fires: metric(50, 'count', 'recommendations'),
            holdout_fires: metric(200, 'count', 'recommendations'),
            quality_delta: metric(-0.01, 'score', 'recommendations'),
            quality_delta_ci95: [-0.05, 0.03],
            cost_delta_usd: metric(-0.0003, 'usd', 'recommendations'),
            verdict: 'no measurable quality difference (95% CI -0.050…+0.030); it saves $0.000300 per request',
          },
        ],
      },
      bottlenecks: [
        {
          area: 'performance',
          finding: '3 minutes with server errors on ≥ 50% of requests; worst 2026-01-02T14:03:00.000Z: 9 of 12, mostly upstream_timeout',
          metric: metric(3, 'count', 'bottlenecks'),
        },
        { area: 'cost', finding: 'largest shares of the $3.96 spent: model sim-large 88.4% ($3.50)', metric: metric(88.4, 'percent', 'cost_drivers') },
        {
          area: 'quality',
          finding: 'sim-small on math: average quality 0.61 (95% CI 0.55–0.67) over 240 ratings, below 0.8',
          metric: metric(0.61, 'score', 'quality_issues'),
        },
      ],
    },
    opportunities: {
      high: [rule],
      medium: [],
      low: [],
      cost_reduction_plan: {
        target_pct: metric(20, 'percent', 'recommendations'),
        reachable: true,
        expected_reduction_pct: metric(41.2, 'percent', 'recommendations'),
        expected_quality: metric(0.835, 'score', 'recommendations'),
        recommendation_ids: ['rec_cheap_qa'],
        statement: '1 change(s) reach the 20% target: expected 41.2% lower cost at average quality 0.835 (floor 0.8).',
        trade_offs: [],
      },
      trade_off_scenarios: [
        {
          goal: 'cost',
          recommendations: metric(1, 'count', 'recommendations'),
          avg_cost_usd: metric(0.0019, 'usd', 'recommendations'),
          avg_quality: metric(0.835, 'score', 'recommendations'),
          avg_latency_ms: metric(700, 'ms', 'recommendations'),
          cost_change_pct: metric(-41.2, 'percent', 'recommendations'),
        },
      ],
    },
    routing_rules: {
      rules: [rule],
      model_selection_matrix: [
        {
          task_type: 'qa',
          complexity_band: 'low (< 0.4)',
          model: 'sim-small',
          current_model: 'sim-large',
          expected_quality: metric(0.86, 'score', 'recommendations'),
          expected_cost_usd: metric(0.0004, 'usd', 'recommendations'),
          requests: metric(400, 'count', 'recommendations'),
        },
      ],
    },
    model_mix: [
      {
        task_type: 'qa',
        requests: metric(400, 'count', 'recommendations'),
        current: [
          { model: 'sim-large', share_pct: metric(62, 'percent', 'recommendations') },
          { model: 'sim-small', share_pct: metric(38, 'percent', 'recommendations') },
        ],
        recommended: [{ model: 'sim-small', share_pct: metric(100, 'percent', 'recommendations') }],
      },
    ],
    implementation_plan: {
      phase_1: [{ action: 'Apply rule qa-low-to-small on 10% of traffic', recommendation_id: 'rec_cheap_qa', effort: 'Low', risk: 'Low', timeline: 'week 1' }],
      phase_2: [],
      phase_3: [],
    },
    expected_outcomes: {
      cost_reduction_pct: metric(41.2, 'percent', 'recommendations'),
      cost_reduction_usd: metric(1.234567, 'usd', 'recommendations'),
      latency_improvement_pct: metric(18, 'percent', 'recommendations'),
      quality_change: metric(-0.02, 'score', 'recommendations'),
      roi_timeline: 'immediate: the change is a config edit',
    },
    monitoring: [{ name: 'Average quality', current: metric(0.842, 'score', 'quality_metrics'), target: '≥ 0.8', check: 'weekly report' }],
    monitoring_status: {
      router: {
        live_version: 'irt-2026-11+ls3',
        promoted_model: null,
        learning_enabled: true,
        explore_share: 0.05,
        learned_state: 'state 3: 120 outcomes, fitted 2026-01-07T23:00:00.000Z',
        outcomes: [{ model: 'sim-small', task_type: 'qa', outcomes: 80, mean_score: 0.84, explored: 6 }],
        evaluations: [
          { at: '2026-01-07T12:00:00.000Z', version: 'cand-7', status: 'rejected', reason: 'AIQ 0.701 vs live 0.705: below the +0.01 promotion margin' },
        ],
      },
      alerts: {
        firing: [
          {
            rule_id: 'error-rate',
            subject: 'sim-large',
            severity: 'warning',
            message: 'sim-large error rate 12% over 10 min',
            since: '2026-01-07T22:00:00.000Z',
          },
        ],
        insufficient_data: 2,
        failing_destinations: [],
      },
    },
    data_gaps: ['No API key has a budget, so budget utilization is not defined.'],
    sources: [
      { id: 'routing_analytics', analysis: 'routingAnalytics', query: 'requests ⋈ decisions in the window', sample_size: 1234 },
      { id: 'routing_costs', analysis: 'routingCosts', query: 'SUM(cost_usd) by model, task type', sample_size: 1234 },
      { id: 'quality_metrics', analysis: 'qualityMetrics', query: 'feedback ⋈ requests', sample_size: 600 },
      { id: 'bottlenecks', analysis: 'bottlenecks', query: 'decision times, model-hour latency, errors per minute', sample_size: 1234 },
      { id: 'cost_drivers', analysis: 'costDrivers', query: 'request rollup ranked by cost', sample_size: 1234 },
      { id: 'quality_issues', analysis: 'qualityIssues', query: 'quality cells below the threshold', sample_size: 1234 },
      { id: 'request_patterns', analysis: 'requestPatterns', query: 'task type mix, requests per hour and weekday', sample_size: 1234 },
      { id: 'recommendations', analysis: 'recommend', query: 'replay of the history', sample_size: 600 },
      { id: 'router_status', analysis: 'routerStatus', query: 'learning outcomes, learned state, router models', sample_size: 80 },
      { id: 'alerts', analysis: 'activeAlerts', query: 'alert states and deliveries', sample_size: 1 },
    ],
    ...overrides,
  };
}
