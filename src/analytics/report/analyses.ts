import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../store/schema.ts';
import type { AnalysisQuery } from '../analysis-query.ts';

/**
 * The seam between the report and MCP layers and the descriptive analyses of src/analytics/index.ts:
 * looked up by name when first used, so a build that lacks one still serves the others (and the
 * recommendations) and says plainly which analysis is missing instead of failing to start.
 */
export const DESCRIPTIVE_ANALYSES = {
  routing_analytics: ['routingAnalytics', 'getRoutingAnalytics'],
  routing_costs: ['routingCosts', 'getRoutingCosts'],
  quality_metrics: ['qualityMetrics', 'getQualityMetrics'],
  request_patterns: ['requestPatterns', 'analyzeRequestPatterns'],
  model_performance: ['modelPerformance', 'evaluateModelPerformance'],
  bottlenecks: ['bottlenecks', 'identifyBottlenecks'],
  cost_drivers: ['costDrivers', 'identifyCostDrivers'],
  quality_issues: ['qualityIssues', 'identifyQualityIssues'],
} as const;
export type DescriptiveAnalysisId = keyof typeof DESCRIPTIVE_ANALYSES;

/** What every descriptive analysis returns besides its own fields. */
export const AnalysisEnvelope = z.looseObject({
  sample_size: z.number().int().nonnegative(),
  data_gaps: z.array(z.string()),
});
export type AnalysisResult = z.infer<typeof AnalysisEnvelope>;

export type DescriptiveAnalysis = (db: Kysely<Database>, q: AnalysisQuery, opts?: Record<string, unknown>) => Promise<AnalysisResult>;

export class AnalysisUnavailableError extends Error {}

type ModuleExports = Record<string, unknown>;

// Specifiers in variables: the modules are resolved when the process runs, not when it compiles.
const DESCRIPTIVE_MODULE = '../index.ts';

async function importOptional(specifier: string): Promise<ModuleExports> {
  try {
    return (await import(new URL(specifier, import.meta.url).href)) as ModuleExports;
  } catch (err) {
    if (err instanceof Error && /Cannot find module|ERR_MODULE_NOT_FOUND|Failed to load url/i.test(`${(err as Error & { code?: string }).code ?? ''} ${err.message}`)) return {};
    throw err;
  }
}

function pick(exports: ModuleExports, names: readonly string[]): ((...args: never[]) => unknown) | undefined {
  for (const name of names) {
    const fn = exports[name];
    if (typeof fn === 'function') return fn as (...args: never[]) => unknown;
  }
  return undefined;
}

export interface Analyses {
  descriptive(id: DescriptiveAnalysisId): Promise<DescriptiveAnalysis>;
}

let loaded: Promise<{ descriptive: ModuleExports }> | undefined;

/** The descriptive analyses of this build; `descriptive(id)` rejects with AnalysisUnavailableError when one is absent. */
export const analyses: Analyses = {
  async descriptive(id) {
    loaded ??= loadModules();
    const fn = pick((await loaded).descriptive, DESCRIPTIVE_ANALYSES[id]);
    if (!fn) throw new AnalysisUnavailableError(`the ${id.replaceAll('_', ' ')} analysis is not part of this build (src/analytics/index.ts exports none of ${DESCRIPTIVE_ANALYSES[id].join(', ')})`);
    const analysis = fn as unknown as (db: Kysely<Database>, q: AnalysisQuery, opts?: Record<string, unknown>) => Promise<unknown>;
    return async (db, q, opts) => AnalysisEnvelope.parse(await analysis(db, q, opts));
  },
};

async function loadModules(): Promise<{ descriptive: ModuleExports }> {
  return { descriptive: await importOptional(DESCRIPTIVE_MODULE) };
}
