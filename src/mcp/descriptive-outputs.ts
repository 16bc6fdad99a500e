import { z } from 'zod';
import type { DescriptiveAnalysisId } from '../analytics/report/analyses.ts';
import { ResultEnvelope } from './result-envelope.ts';

// The output schema of each descriptive tool: the fields an agent reads first, typed, so tools/list
// tells it what comes back; the analyses' other fields pass through (loose objects).
const n = z.number();
const nn = z.number().nullable();
const row = <S extends z.ZodRawShape>(shape: S) => z.array(z.looseObject(shape));
const latency = z.looseObject({ sample_size: n, avg: nn, p50: nn, p95: nn, p99: nn });

export const DESCRIPTIVE_OUTPUTS = {
  routing_analytics: ResultEnvelope.extend({
    total_requests: n,
    routed_requests: n,
    routing_latency_ms: latency,
    request_latency_ms: latency,
    model_distribution: row({ model: z.string(), requests: n, share: n }),
    success_rate: nn,
    failure_rate: nn,
  }),
  routing_costs: ResultEnvelope.extend({
    total_cost_usd: n,
    avg_cost_per_request_usd: nn,
    budget_utilization: nn,
    trend_bucket: z.enum(['hour', 'day']),
    trend: row({ bucket_start: z.string(), requests: n, cost_usd: n, change_pct: nn }),
    trend_change_pct: nn,
  }),
  quality_metrics: ResultEnvelope.extend({
    rated_requests: n,
    avg_quality: nn,
    by_model: row({ model: z.string(), rated: n, avg_quality: nn }),
    by_task_type: row({ task_type: z.string(), rated: n, avg_quality: nn }),
    by_model_task_type: row({ model: z.string(), task_type: z.string(), rated: n, avg_quality: nn }),
    quality_cost_correlation: nn,
    completion_rate: nn,
  }),
  request_patterns: ResultEnvelope.extend({
    task_type_mix: row({ task_type: z.string(), requests: n, share: n }),
    complexity_distribution: row({ bucket: z.string(), requests: n }),
    peak_hour: z.string().nullable(),
    peak_day: z.string().nullable(),
    period_over_period: z.looseObject({ requests: n, previous_requests: n, requests_change_pct: nn }),
  }),
  model_performance: ResultEnvelope.extend({
    models: row({
      model: z.string(),
      task_type: z.string(),
      requests: n,
      avg_quality: nn,
      avg_latency_ms: nn,
      quality_per_dollar: nn,
      error_rate: nn,
      timeout_rate: nn,
    }),
    by_model: row({ model: z.string(), requests: n }),
  }),
  bottlenecks: ResultEnvelope.extend({
    slow_decisions: z.looseObject({ threshold_ms: n, routed_requests: n, count: n, share: nn }),
    latency_spikes: row({ model: z.string(), hour_start: z.string(), avg_latency_ms: n, ratio: n }),
    error_bursts: row({ minute_start: z.string(), requests: n, errors: n, error_rate: n }),
  }),
  cost_drivers: ResultEnvelope.extend({
    total_cost_usd: n,
    top_keys: row({ key_id: z.string(), cost_usd: n, share: n }),
    top_task_types: row({ task_type: z.string(), cost_usd: n, share: n }),
    top_models: row({ model: z.string(), cost_usd: n, share: n }),
    long_prompts: z.looseObject({ threshold_tokens: n, requests: n, share_of_cost: nn }),
    premium_low_complexity: z.looseObject({ requests: n, cost_usd: n, share_of_cost: nn }).nullable(),
  }),
  quality_issues: ResultEnvelope.extend({
    threshold: n,
    cells: row({ model: z.string(), task_type: z.string(), rated: n, avg_quality: n, significant: z.boolean() }),
    low_score_count: n,
    low_score_requests: row({ request_id: z.string(), quality: n, quality_source: z.string() }),
  }),
} satisfies Record<DescriptiveAnalysisId, z.ZodObject>;
