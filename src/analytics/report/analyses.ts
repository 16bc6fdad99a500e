import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { AnalysisQuery } from '../analysis-query.ts';
import { runDescriptiveAnalysis, type AnalysisHost, type DescriptiveAnalysisName, type DescriptiveResults } from '../registry.ts';

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

/** The result type of one analysis by report id (each analysis owns its shape; all carry sample_size and data_gaps). */
export type AnalysisResultOf<Id extends DescriptiveAnalysisId> = DescriptiveResults[(typeof DESCRIPTIVE_ANALYSES)[Id]['name']];

export type DescriptiveAnalysis<Id extends DescriptiveAnalysisId> = (
  db: Kysely<Database>,
  q: AnalysisQuery,
  opts?: Record<string, unknown>,
) => Promise<AnalysisResultOf<Id>>;

/** The analysis by report id; `host` carries what a query string cannot (the catalog's model tiers). */
export function descriptiveAnalysis<Id extends DescriptiveAnalysisId>(id: Id, host: AnalysisHost = {}): DescriptiveAnalysis<Id> {
  const name: (typeof DESCRIPTIVE_ANALYSES)[Id]['name'] = DESCRIPTIVE_ANALYSES[id].name;
  return (db, q, opts = {}) => runDescriptiveAnalysis(db, name, q, opts, host);
}
