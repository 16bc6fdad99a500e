// The descriptive analyses: one function per analysis, each `(db, q, opts?) => Promise<result>` with
// plain JSON results that carry `sample_size` and `data_gaps`. The report and MCP layers look these
// names up through the registry (src/analytics/registry.ts, src/analytics/report/analyses.ts), so they are stable.
export { AnalysisParams, AnalysisParamsError, resolveAnalysisQuery, TIMEFRAMES, type AnalysisQuery, type Timeframe } from './analysis-query.ts';
export { routingAnalytics, type RoutingAnalytics } from './routing-analytics.ts';
export { routingCosts, modelTiers, COST_GROUPS, type RoutingCosts, type RoutingCostsOptions, type CostGroup } from './routing-costs.ts';
export { qualityMetrics, type QualityMetrics } from './quality-metrics.ts';
export { requestPatterns, type RequestPatterns } from './request-patterns.ts';
export { modelPerformance, type ModelPerformance, type ModelPerformanceRow } from './model-performance.ts';
export { bottlenecks, BottlenecksOptions, type Bottlenecks } from './bottlenecks.ts';
export { costDrivers, CostDriversOptions, type CostDrivers } from './cost-drivers.ts';
export { qualityIssues, QualityIssuesOptions, type QualityIssues } from './quality-issues.ts';
export { scoredRequestsSql, completionFailureSql, QUALITY_SOURCES, type QualitySource } from './quality.ts';
export { DESCRIPTIVE_ANALYSIS_NAMES, analysisOptionsSchema, isDescriptiveAnalysisName, runDescriptiveAnalysis, type AnalysisHost, type DescriptiveAnalysisName } from './registry.ts';
