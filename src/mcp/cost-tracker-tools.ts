import { z } from 'zod';
import { descriptiveTool, recommendationEnvelope, ResultEnvelope, runRecommendations } from './analysis-tools.ts';
import { analysisShape, costThresholdParam, goalParam, listParam, qualityThresholdParam, targetReductionParam } from './tool-inputs.ts';
import { defineTool, type AnyToolSpec } from './tool-spec.ts';

const GROUPS = ['model', 'task_type', 'key', 'tier', 'team'] as const;

export const COST_TRACKER_TOOLS: readonly AnyToolSpec[] = [
  descriptiveTool(
    'get_routing_costs',
    'routing_costs',
    'Routing costs',
    'Spend grouped by model, task type, key or model tier; budget utilization; cost trend per hour or day with % change.',
    { group_by: listParam(`Groupings, e.g. "model,task_type" (of ${GROUPS.join(', ')})`) },
    (args) => ({ group_by: args['group_by'] }),
  ),
  descriptiveTool(
    'identify_cost_drivers',
    'cost_drivers',
    'Cost drivers',
    'Top keys, task types and models by spend, long prompts, high-cost model overuse and cost spikes.',
  ),
  defineTool({
    name: 'generate_cost_optimization_plan',
    title: 'Cost optimization plan',
    description:
      'The smallest set of replayed routing changes that reaches the target cost reduction within the quality floor, or the trade-offs when the target is out of reach.',
    input: {
      ...analysisShape,
      target_reduction: targetReductionParam,
      goal: goalParam.default('cost'),
      cost_threshold: costThresholdParam,
      quality_threshold: qualityThresholdParam,
    },
    output: ResultEnvelope.extend({
      goal: z.string(),
      confidence: z.string(),
      plan: z.looseObject({ reachable: z.boolean(), statement: z.string() }),
      recommendations: z.array(z.looseObject({ id: z.string() })),
    }),
    async run(ctx, args) {
      const { q, set } = await runRecommendations(ctx, args, {
        goal: args.goal,
        costThresholdUsd: args.cost_threshold,
        qualityThreshold: args.quality_threshold,
        targetReduction: args.target_reduction,
      });
      const ids = new Set(set.costReductionPlan.recommendationIds);
      return {
        ...recommendationEnvelope(q, set),
        plan: { ...set.costReductionPlan },
        recommendations: set.recommendations.filter((r) => ids.has(r.id)).map((r) => ({ ...r })),
      };
    },
    summarize: (r) => r.plan.statement,
  }),
];
