/**
 * The fields of the analytics API (GET /v1/analytics/:name, docs/analytics.md) that the dashboard
 * shows. The server's own result types live in src/analytics; the browser test checks that what the
 * page prints equals what the API answers, so a renamed field fails there.
 */
interface AnalysisBase {
  sample_size: number;
  data_gaps: string[];
  window: { from: string; to: string };
}

export interface RoutingAnalytics extends AnalysisBase {
  total_requests: number;
  routed_requests: number;
  success_rate: number | null;
  routing_latency_ms: { p50: number | null; p99: number | null };
  model_distribution: Array<{ model: string; requests: number; share: number }>;
  cache_hits: number;
}

export interface RoutingCosts extends AnalysisBase {
  total_cost_usd: number;
  avg_cost_per_request_usd: number | null;
  cache_saved_usd: number;
  trend_bucket: 'minute' | 'hour' | 'day';
  trend: Array<{ bucket_start: string; requests: number; cost_usd: number }>;
  by_model?: Array<{ model: string; requests: number; cost_usd: number }>;
  by_task_type?: Array<{ task_type: string; requests: number; cost_usd: number }>;
}

export interface QualityMetrics extends AnalysisBase {
  rated_requests: number;
  avg_quality: number | null;
}

export interface ModelPerformance extends AnalysisBase {
  models: Array<{
    model: string;
    task_type: string;
    requests: number;
    avg_quality: number | null;
    ci95_low: number | null;
    ci95_high: number | null;
    p95_latency_ms: number | null;
    avg_cost_usd: number | null;
    error_rate: number;
  }>;
}

export interface Recommendations {
  sample_size: number;
  data_gaps: string[];
  recommendations: Array<{
    id: string;
    title: string;
    recommendedChange: string;
    effort: string;
    risk: { level: string };
    /** Which traffic the rule touches (its routing models and task types). */
    scope?: string;
    expectedImpact?: { costChangePct?: number; costChangeUsd?: number; avgQualityBefore?: number | null; avgQualityAfter?: number | null };
  }>;
}

/** GET /admin/keys (src/server/routes/admin.ts): each key with its spend in the current UTC day and month. */
export interface KeyListing {
  data: Array<{
    id: string;
    name: string;
    team: string | null;
    revoked_at: string | null;
    budget_daily_usd: number | null;
    budget_monthly_usd: number | null;
    spent_today_usd: number;
    spent_month_usd: number;
    daily_budget_use: number | null;
    monthly_budget_use: number | null;
  }>;
}

// The request log's types come from the server's own wire types (a type-only import: nothing of
// the server is bundled).
export type { RequestDetail, RequestFilterValues, RequestListPage } from '../src/analytics/request-log/request-log-types.ts';

/** The optimizer's record as the detail panel reads it (the row's `optimization` JSON, src/server/optimization-record.ts). */
export interface OptimizationView {
  technique?: string;
  source?: string;
  upstream_calls?: number;
  cost_usd?: number;
  plain_estimate_usd?: number;
  error?: string;
  calls?: Array<{ label: string; model: string; cost_usd: number; failed?: true }>;
  recommendation?: { predicted_quality: number; plain_predicted_quality: number | null };
}
