import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../store/schema.ts';
import type { AnalysisQuery } from '../analysis-query.ts';
import { runDescriptiveAnalysis, type AnalysisHost, type DescriptiveAnalysisName } from '../registry.ts';

/**
 * The descriptive analyses as the report, the MCP tools and the bench name them: report id → the
 * registry name (`GET /v1/analytics/:name`) and the exported function, which the report's Sources
 * section prints so a reader can find and re-run the query.
 */
export const DESCRIPTIVE_ANALYSES = {
  routing_analytics: { name: 'routing', fn: 'routingAnalytics' },
  routing_costs: { name: 'costs', fn: 'routingCosts' },
  quality_metrics: { name: 'quality', fn: 'qualityMetrics' },
  request_patterns: { name: 'patterns', fn: 'requestPatterns' },
  model_performance: { name: 'model-performance', fn: 'modelPerformance' },
  bottlenecks: { name: 'bottlenecks', fn: 'bottlenecks' },
  cost_drivers: { name: 'cost-drivers', fn: 'costDrivers' },
  quality_issues: { name: 'quality-issues', fn: 'qualityIssues' },
} as const satisfies Record<string, { name: DescriptiveAnalysisName; fn: string }>;
export type DescriptiveAnalysisId = keyof typeof DESCRIPTIVE_ANALYSES;

/** What every descriptive analysis returns besides its own fields. */
export const AnalysisEnvelope = z.looseObject({
  sample_size: z.number().int().nonnegative(),
  data_gaps: z.array(z.string()),
});
export type AnalysisResult = z.infer<typeof AnalysisEnvelope>;

export type DescriptiveAnalysis = (db: Kysely<Database>, q: AnalysisQuery, opts?: Record<string, unknown>) => Promise<AnalysisResult>;

export interface Analyses {
  /** The analysis by report id; `host` carries what a query string cannot (the catalog's model tiers). */
  descriptive(id: DescriptiveAnalysisId, host?: AnalysisHost): Promise<DescriptiveAnalysis>;
}

export const analyses: Analyses = {
  async descriptive(id, host = {}) {
    const { name } = DESCRIPTIVE_ANALYSES[id];
    return async (db, q, opts = {}) => AnalysisEnvelope.parse(await runDescriptiveAnalysis(db, name, q, opts, host));
  },
};
