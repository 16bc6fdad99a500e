import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { bottlenecks, BottlenecksOptions } from './bottlenecks.ts';
import { costDrivers, CostDriversOptions } from './cost-drivers.ts';
import { modelPerformance } from './model-performance.ts';
import { qualityIssues, QualityIssuesOptions } from './quality-issues.ts';
import { qualityMetrics } from './quality-metrics.ts';
import { requestPatterns } from './request-patterns.ts';
import { routingAnalytics } from './routing-analytics.ts';
import { COST_GROUPS, routingCosts } from './routing-costs.ts';

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

interface Entry {
  /** Options the analysis reads from a query string or tool arguments (besides the window parameters). */
  options: z.ZodObject;
  run(db: Kysely<Database>, q: AnalysisQuery, options: Record<string, unknown>, host: AnalysisHost): Promise<{ sample_size: number; data_gaps: string[] }>;
}

const NO_OPTIONS = z.object({});
const withTiers = (host: AnalysisHost) => (host.tierOf ? { tier_of: { ...host.tierOf } } : {});

/** The descriptive analyses by their URL names (`GET /v1/analytics/:name`). */
const REGISTRY = {
  routing: { options: NO_OPTIONS, run: (db, q) => routingAnalytics(db, q) },
  costs: { options: RoutingCostsQueryOptions, run: (db, q, o, host) => routingCosts(db, q, { ...o, ...withTiers(host) }) },
  quality: { options: NO_OPTIONS, run: (db, q) => qualityMetrics(db, q) },
  patterns: { options: NO_OPTIONS, run: (db, q) => requestPatterns(db, q) },
  'model-performance': { options: NO_OPTIONS, run: (db, q) => modelPerformance(db, q) },
  bottlenecks: { options: BottlenecksOptions, run: (db, q, o) => bottlenecks(db, q, o) },
  'cost-drivers': { options: CostDriversOptions.omit({ tier_of: true }), run: (db, q, o, host) => costDrivers(db, q, { ...o, ...withTiers(host) }) },
  'quality-issues': { options: QualityIssuesOptions, run: (db, q, o) => qualityIssues(db, q, o) },
} satisfies Record<string, Entry>;

export type DescriptiveAnalysisName = keyof typeof REGISTRY;
export const DESCRIPTIVE_ANALYSIS_NAMES = Object.keys(REGISTRY) as DescriptiveAnalysisName[];

export function isDescriptiveAnalysisName(name: string): name is DescriptiveAnalysisName {
  return Object.hasOwn(REGISTRY, name);
}

/** The option schema of one analysis (for parsing a query string and naming the bad field). */
export function analysisOptionsSchema(name: DescriptiveAnalysisName): z.ZodObject {
  return REGISTRY[name].options;
}

/** Runs one descriptive analysis by name with already parsed options. */
export function runDescriptiveAnalysis(
  db: Kysely<Database>,
  name: DescriptiveAnalysisName,
  q: AnalysisQuery,
  options: Record<string, unknown> = {},
  host: AnalysisHost = {},
): Promise<{ sample_size: number; data_gaps: string[] }> {
  const entry: Entry = REGISTRY[name];
  return entry.run(db, q, options, host);
}
