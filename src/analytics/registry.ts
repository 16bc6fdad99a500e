import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { bottlenecks, BottlenecksOptions, type Bottlenecks } from './bottlenecks.ts';
import { costDrivers, CostDriversOptions, type CostDrivers } from './cost-drivers.ts';
import { modelPerformance, type ModelPerformance } from './model-performance.ts';
import { qualityIssues, QualityIssuesOptions, type QualityIssues } from './quality-issues.ts';
import { qualityMetrics, type QualityMetrics } from './quality-metrics.ts';
import { requestPatterns, type RequestPatterns } from './request-patterns.ts';
import { routingAnalytics, type RoutingAnalytics } from './routing-analytics.ts';
import { COST_GROUPS, routingCosts, type RoutingCosts } from './routing-costs.ts';

/** `a,b` or repeated values → a list (query strings and the seed's `group_by="model,task_type"`). */
const commaList = z.union([z.array(z.string()), z.string()]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

const RoutingCostsQueryOptions = z.object({
  group_by: commaList
    .pipe(z.array(z.enum(COST_GROUPS)))
    .optional()
    .describe(`Groupings (${COST_GROUPS.join(', ')}); default all`),
  bucket: z.enum(['minute', 'hour', 'day']).optional().describe('Trend bucket; default minute up to 2 hours, hour up to 2 days, day beyond'),
});

/** What the host knows that a query string does not carry: the config catalog's model tiers. */
export interface AnalysisHost {
  tierOf?: Readonly<Record<string, string>>;
}

/** What each descriptive analysis returns, by its URL name: callers read fields the compiler checks. */
export interface DescriptiveResults {
  routing: RoutingAnalytics;
  costs: RoutingCosts;
  quality: QualityMetrics;
  patterns: RequestPatterns;
  'model-performance': ModelPerformance;
  bottlenecks: Bottlenecks;
  'cost-drivers': CostDrivers;
  'quality-issues': QualityIssues;
}

interface Entry<R> {
  /** Options the analysis reads from a query string or tool arguments (besides the window parameters). */
  options: z.ZodObject;
  run(db: Kysely<Database>, q: AnalysisQuery, options: Record<string, unknown>, host: AnalysisHost): Promise<R>;
}

const NO_OPTIONS = z.object({});
const withTiers = (host: AnalysisHost) => (host.tierOf ? { tier_of: { ...host.tierOf } } : {});

/** The descriptive analyses by their URL names (`GET /v1/analytics/:name`). */
const REGISTRY: { [N in keyof DescriptiveResults]: Entry<DescriptiveResults[N]> } = {
  routing: { options: NO_OPTIONS, run: (db, q) => routingAnalytics(db, q) },
  costs: { options: RoutingCostsQueryOptions, run: (db, q, o, host) => routingCosts(db, q, { ...o, ...withTiers(host) }) },
  quality: { options: NO_OPTIONS, run: (db, q) => qualityMetrics(db, q) },
  patterns: { options: NO_OPTIONS, run: (db, q) => requestPatterns(db, q) },
  'model-performance': { options: NO_OPTIONS, run: (db, q) => modelPerformance(db, q) },
  bottlenecks: { options: BottlenecksOptions, run: (db, q, o) => bottlenecks(db, q, o) },
  'cost-drivers': { options: CostDriversOptions.omit({ tier_of: true }), run: (db, q, o, host) => costDrivers(db, q, { ...o, ...withTiers(host) }) },
  'quality-issues': { options: QualityIssuesOptions, run: (db, q, o) => qualityIssues(db, q, o) },
};

export type DescriptiveAnalysisName = keyof DescriptiveResults;
export const DESCRIPTIVE_ANALYSIS_NAMES = Object.keys(REGISTRY) as DescriptiveAnalysisName[];

export function isDescriptiveAnalysisName(name: string): name is DescriptiveAnalysisName {
  return Object.hasOwn(REGISTRY, name);
}

/** The option schema of one analysis (for parsing a query string and naming the bad field). */
export function analysisOptionsSchema(name: DescriptiveAnalysisName): z.ZodObject {
  return REGISTRY[name].options;
}

/** Runs one descriptive analysis by name with already parsed options. */
export function runDescriptiveAnalysis<N extends DescriptiveAnalysisName>(
  db: Kysely<Database>,
  name: N,
  q: AnalysisQuery,
  options: Record<string, unknown> = {},
  host: AnalysisHost = {},
): Promise<DescriptiveResults[N]> {
  const entry: Entry<DescriptiveResults[N]> = REGISTRY[name];
  return entry.run(db, q, options, host);
}
