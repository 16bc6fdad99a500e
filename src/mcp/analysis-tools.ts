import { z } from 'zod';
import type { AnalysisQuery } from '../analytics/analysis-query.ts';
import { descriptiveAnalysis, type DescriptiveAnalysisId } from '../analytics/report/analyses.ts';
import { buildRecommendations, type Recommendations } from '../analytics/recommend/build-recommendations.ts';
import { modelTiers } from '../analytics/routing-costs.ts';
import type { RecommendationSet } from '../analytics/recommend/types.ts';
import type { OptimizationGoal } from './tool-inputs.ts';
import { analysisShape } from './tool-inputs.ts';
import { InsufficientDataError, analysisParamsOf, resolveQuery, withStore, type ToolContext } from './tool-context.ts';
import { defineTool, type AnyToolSpec } from './tool-spec.ts';
import { DESCRIPTIVE_OUTPUTS } from './descriptive-outputs.ts';
import { ResultEnvelope } from './result-envelope.ts';

export { ResultEnvelope };

function windowOf(q: AnalysisQuery) {
  return { from: new Date(q.fromMs).toISOString(), to: new Date(q.toMs).toISOString() };
}

function assertEnoughData(sampleSize: number, q: AnalysisQuery, what: string): void {
  if (sampleSize === 0) {
    throw new InsufficientDataError(`no ${what} between ${new Date(q.fromMs).toISOString()} and ${new Date(q.toMs).toISOString()}`);
  }
}

/** A tool over one descriptive analysis: window parameters in, the analysis result (enveloped) out. */
export function descriptiveTool(
  name: string,
  analysisId: DescriptiveAnalysisId,
  title: string,
  description: string,
  extraInput: z.ZodRawShape = {},
  optionsOf: (args: Record<string, unknown>) => Record<string, unknown> = () => ({}),
): AnyToolSpec {
  return defineTool({
    name,
    title,
    description,
    input: { ...analysisShape, ...extraInput },
    // Validated (runToolSpec) and listed with the analysis' own schema; statically the run's result is known only by its envelope.
    output: DESCRIPTIVE_OUTPUTS[analysisId] as unknown as typeof ResultEnvelope,
    async run(ctx, args) {
      const q = resolveQuery(ctx, analysisParamsOf(args));
      // The catalog's tiers: cost per tier and premium-model overuse need them.
      const analysis = descriptiveAnalysis(analysisId, { tierOf: modelTiers(ctx.config()) });
      const result = await withStore(ctx, (db) => analysis(db, q, optionsOf(args)));
      assertEnoughData(result.sample_size, q, 'requests');
      return { window: windowOf(q), ...result };
    },
    summarize: (r) =>
      `${title}: ${r.sample_size} requests analysed from ${r.window.from} to ${r.window.to}.${r.data_gaps.length ? ` Missing: ${r.data_gaps.join(' ')}` : ''}`,
  });
}

export interface RecommendArgs {
  goal: OptimizationGoal;
  costThresholdUsd?: number;
  qualityThreshold?: number;
  /** Fraction, 0.2 = 20%. */
  targetReduction?: number;
}

/** Runs the recommendation search over the window; the tools present different parts of it. */
export async function runRecommendations(
  ctx: ToolContext,
  args: Record<string, unknown>,
  rec: RecommendArgs,
): Promise<{ q: AnalysisQuery; set: Recommendations }> {
  const params = analysisParamsOf(args);
  const q = resolveQuery(ctx, params);
  const persistTo = await ctx.recommendationStore?.();
  const set = await withStore(ctx, (db) =>
    buildRecommendations(
      db,
      ctx.config(),
      {
        ...params,
        optimization_goal: rec.goal,
        ...(rec.costThresholdUsd !== undefined ? { cost_threshold: rec.costThresholdUsd } : {}),
        ...(rec.qualityThreshold !== undefined ? { quality_threshold: rec.qualityThreshold } : {}),
        ...(rec.targetReduction !== undefined ? { target_reduction_pct: rec.targetReduction * 100 } : {}),
      },
      { nowMs: ctx.nowMs(), ...(persistTo ? { persistTo } : {}) },
    ),
  );
  assertEnoughData(set.window.requests, q, 'routed requests');
  return { q, set };
}

export function recommendationEnvelope(q: AnalysisQuery, set: RecommendationSet) {
  return {
    window: windowOf(q),
    sample_size: set.window.requests,
    data_gaps: [...set.missing, ...set.conflicts],
    goal: set.goal,
    confidence: set.confidence,
  };
}

export { windowOf, assertEnoughData };
