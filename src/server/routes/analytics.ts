import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AnalysisParams, AnalysisParamsError, resolveAnalysisQuery, type AnalysisQuery } from '../../analytics/analysis-query.ts';
import { buildRecommendations } from '../../analytics/recommend/build-recommendations.ts';
import { analysisOptionsSchema, DESCRIPTIVE_ANALYSIS_NAMES, isDescriptiveAnalysisName, runDescriptiveAnalysis } from '../../analytics/registry.ts';
import { modelTiers } from '../../analytics/routing-costs.ts';
import { Goal } from '../../config/schema.ts';
import { formatPath } from '../../config/load-config.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { analyticsDbOf } from '../../mcp/store-context.ts';
import { analysisParamsOf } from '../../mcp/tool-context.ts';
import { errors, GatewayError } from '../../util/errors.ts';

const RECOMMENDATION_ANALYSES = ['decisions', 'recommendations'] as const;
type RecommendationAnalysis = (typeof RECOMMENDATION_ANALYSES)[number];

/** `?models=a,b` and `?models=a&models=b` both give a list. */
const queryList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) =>
    (Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  )
  .optional();

const WindowQuery = z.object({ ...AnalysisParams.shape, task_types: queryList, keys: queryList, models: queryList });

/** The recommendation analyses' own parameters (src/analytics/recommend), as query strings. */
const RecommendationQuery = z.object({
  goal: Goal.optional().describe('Optimization goal (alias: optimization_goal, criteria)'),
  optimization_goal: Goal.optional(),
  criteria: Goal.optional(),
  cost_threshold: z.coerce.number().positive().optional(),
  quality_threshold: z.coerce.number().min(0).max(1).optional(),
  target_reduction_pct: z.coerce.number().min(0).max(100).optional(),
  max_recommendations: z.coerce.number().int().min(1).max(20).optional(),
});

function parseQuery<T extends z.ZodObject>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.strict().safeParse(query ?? {});
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') throw errors.invalidField(issue.keys[0] ?? 'query', `Unknown parameter '${issue.keys[0]}'.`);
  throw errors.invalidField(issue ? formatPath(issue.path) : 'query', issue?.message ?? 'invalid query');
}

function resolveWindow(window: z.output<typeof WindowQuery>, nowMs: number): AnalysisQuery {
  try {
    return resolveAnalysisQuery(analysisParamsOf(window), nowMs);
  } catch (err) {
    if (err instanceof AnalysisParamsError) throw errors.invalidField(window.from === undefined ? 'from' : 'to', err.message);
    throw err;
  }
}

function windowOf(q: AnalysisQuery) {
  return { from: new Date(q.fromMs).toISOString(), to: new Date(q.toMs).toISOString() };
}

function isRecommendationAnalysis(name: string): name is RecommendationAnalysis {
  return (RECOMMENDATION_ANALYSES as readonly string[]).includes(name);
}

/**
 * GET /v1/analytics/:name (admin key: authenticate.ts guards the /v1/analytics prefix). The window
 * parameters of AnalysisParams plus the analysis' own options, as a query string; lists as `a,b`.
 */
export function registerAnalyticsRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.get('/v1/analytics', async (_req, reply) => {
    reply.send({ analyses: [...DESCRIPTIVE_ANALYSIS_NAMES, ...RECOMMENDATION_ANALYSES] });
  });

  app.get<{ Params: { name: string } }>('/v1/analytics/:name', async (req, reply) => {
    const { name } = req.params;
    const nowMs = Date.now();
    const g = gateway();
    if (isDescriptiveAnalysisName(name)) {
      const { window, options } = splitQuery(analysisOptionsSchema(name), req.query);
      const q = resolveWindow(window, nowMs);
      await g.writer.flush();
      const result = await runDescriptiveAnalysis(analyticsDbOf(g.store), name, q, options, { tierOf: modelTiers(g.config) });
      reply.send({ analysis: name, window: windowOf(q), ...result });
      return;
    }
    if (isRecommendationAnalysis(name)) {
      const { window, options } = splitQuery(RecommendationQuery, req.query);
      const q = resolveWindow(window, nowMs);
      await g.writer.flush();
      const goal = options.goal ?? options.optimization_goal ?? options.criteria;
      const set = await buildRecommendations(
        analyticsDbOf(g.store),
        g.config,
        {
          ...analysisParamsOf(window),
          ...(goal ? { optimization_goal: goal } : {}),
          ...(options.cost_threshold !== undefined ? { cost_threshold: options.cost_threshold } : {}),
          ...(options.quality_threshold !== undefined ? { quality_threshold: options.quality_threshold } : {}),
          ...(options.target_reduction_pct !== undefined ? { target_reduction_pct: options.target_reduction_pct } : {}),
          ...(options.max_recommendations !== undefined ? { max_recommendations: options.max_recommendations } : {}),
        },
        { nowMs },
      );
      const data_gaps = [...set.missing, ...set.conflicts];
      if (name === 'decisions') reply.send({ analysis: name, window: windowOf(q), sample_size: set.decisions.analyzed, data_gaps, ...set.decisions });
      else reply.send({ analysis: name, sample_size: set.window.requests, data_gaps, ...set, window: { ...windowOf(q), ...set.window } });
      return;
    }
    throw new GatewayError(
      404,
      'not_found_error',
      `No analysis '${name}'. Available: ${[...DESCRIPTIVE_ANALYSIS_NAMES, ...RECOMMENDATION_ANALYSES].join(', ')}.`,
      {
        param: 'name',
        code: 'analysis_not_found',
      },
    );
  });
}

/** Validates the whole query against window + option parameters (unknown ones are 400s), then splits it. */
function splitQuery<T extends z.ZodObject>(optionsSchema: T, query: unknown): { window: z.output<typeof WindowQuery>; options: z.output<T> } {
  const all: Record<string, unknown> = parseQuery<z.ZodObject>(WindowQuery.extend(optionsSchema.shape), query);
  const window: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(all)) {
    if (value === undefined) continue;
    if (Object.hasOwn(WindowQuery.shape, key)) window[key] = value;
    else options[key] = value;
  }
  return { window: window as z.output<typeof WindowQuery>, options: options as z.output<T> };
}
