import { z } from 'zod';
import { assertEnoughData, descriptiveTool, recommendationEnvelope, ResultEnvelope, runRecommendations } from './analysis-tools.ts';
import { analysisShape, costThresholdParam, goalParam, listParam, parseConstraints, qualityThresholdParam } from './tool-inputs.ts';
import { ToolArgumentError } from './tool-context.ts';
import { defineTool, type AnyToolSpec } from './tool-spec.ts';
import { GET_ACTIVE_ALERTS } from './alert-tools.ts';
import { GET_ROUTER_STATUS } from './router-status-tool.ts';

const constraintsInput = {
  goal: goalParam,
  constraints: z.string().optional().describe('The seed form "cost<0.01,quality>0.8"; cost_threshold / quality_threshold override it'),
  cost_threshold: costThresholdParam,
  quality_threshold: qualityThresholdParam,
};

function constraintsOf(args: { goal?: 'cost' | 'speed' | 'quality' | 'balanced'; constraints?: string; cost_threshold?: number; quality_threshold?: number }) {
  const parsed = args.constraints ? parseConstraints(args.constraints) : {};
  return {
    goal: args.goal ?? 'balanced',
    costThresholdUsd: args.cost_threshold ?? parsed.costThresholdUsd,
    qualityThreshold: args.quality_threshold ?? parsed.qualityThreshold,
  };
}

function onlyIds<T extends { id: string }>(items: readonly T[], ids: readonly string[] | undefined): T[] {
  if (!ids?.length) return [...items];
  const unknown = ids.filter((id) => !items.some((r) => r.id === id));
  if (unknown.length) throw new ToolArgumentError(`no recommendation ${unknown.join(', ')} in this window; call optimize_routing_rules first and pass its ids`);
  return items.filter((r) => ids.includes(r.id));
}

const RecommendationsOutput = ResultEnvelope.extend({
  goal: z.string(),
  confidence: z.string(),
  recommendations: z.array(z.looseObject({ id: z.string(), category: z.string(), recommendedChange: z.string(), ruleYaml: z.string() })),
  combined_impact: z.looseObject({}).nullable(),
  scenarios: z.array(z.looseObject({ goal: z.string() })),
});

export const INTELLIGENCE_ROUTER_TOOLS: readonly AnyToolSpec[] = [
  descriptiveTool(
    'get_routing_analytics',
    'routing_analytics',
    'Routing analytics',
    'Total requests, routing latency (avg, p50, p95, p99), model distribution, success and failure rates over the window.',
  ),
  descriptiveTool(
    'get_quality_metrics',
    'quality_metrics',
    'Quality metrics',
    'Average quality by model and task type, quality–cost correlation, task completion rates.',
  ),
  descriptiveTool(
    'analyze_request_patterns',
    'request_patterns',
    'Request patterns',
    'Task type mix, complexity distribution, peak hours and days, period-over-period change.',
  ),
  descriptiveTool(
    'evaluate_model_performance',
    'model_performance',
    'Model performance',
    'Per model and task type: quality, latency, cost efficiency (quality per dollar), reliability (error and timeout rates). models="all" for every model.',
  ),
  descriptiveTool('identify_bottlenecks', 'bottlenecks', 'Bottlenecks', 'Slow routing decisions, upstream latency spikes and error bursts.', {
    type: z.enum(['performance', 'all']).default('performance').describe('Bottleneck kind (cost bottlenecks: cost-tracker identify_cost_drivers)'),
  }),
  descriptiveTool(
    'identify_quality_issues',
    'quality_issues',
    'Quality issues',
    'Models and task types whose quality is below the threshold, with the requests behind them.',
    { threshold: z.coerce.number().min(0).max(1).default(0.8).describe('Quality threshold, 0–1') },
    (args) => ({ threshold: args['threshold'] }),
  ),
  defineTool({
    name: 'analyze_routing_decisions',
    title: 'Routing decision analysis',
    description:
      'For requests with quality signals: the best model under the goal in hindsight versus the chosen one, missed savings, decision accuracy and per-rule effectiveness.',
    input: { ...analysisShape, criteria: goalParam.describe('Goal that defines "best in hindsight"'), quality_threshold: qualityThresholdParam },
    output: ResultEnvelope.extend({
      analyzed: z.number(),
      optimal_share: z.number().nullable(),
      missed_savings_usd: z.number(),
      decision_analysis: z.looseObject({}),
    }),
    async run(ctx, args) {
      const { q, set } = await runRecommendations(ctx, args, { goal: args.criteria, qualityThreshold: args.quality_threshold });
      const d = set.decisions;
      assertEnoughData(d.analyzed, q, 'routed requests with a quality signal');
      return {
        ...recommendationEnvelope(q, set),
        sample_size: d.analyzed,
        analyzed: d.analyzed,
        optimal_share: d.optimalShare,
        missed_savings_usd: d.missedSavingsUsd,
        decision_analysis: { ...d },
      };
    },
    summarize: (r) =>
      `${r.analyzed} decisions analysed; ${r.optimal_share === null ? 'accuracy unknown' : `${(r.optimal_share * 100).toFixed(1)}% chose the hindsight-best model`}; missed savings $${r.missed_savings_usd.toFixed(6)}.`,
  }),
  defineTool({
    name: 'optimize_routing_rules',
    title: 'Optimize routing rules',
    description:
      'Searches routing-rule changes on the history under the constraints for the goal; each comes with its impact computed by replaying the window through the changed policy, effort, risk and validation criteria.',
    input: { ...analysisShape, ...constraintsInput },
    output: RecommendationsOutput,
    async run(ctx, args) {
      const { q, set } = await runRecommendations(ctx, args, constraintsOf(args));
      return {
        ...recommendationEnvelope(q, set),
        recommendations: set.recommendations.map((r) => ({ ...r })),
        combined_impact: set.combinedImpact && { ...set.combinedImpact },
        scenarios: set.scenarios.map((x) => ({ ...x })),
      };
    },
    summarize: (r) => `${r.recommendations.length} routing-rule change(s) for goal ${r.goal} (confidence ${r.confidence}).`,
  }),
  defineTool({
    name: 'optimize_model_mix',
    title: 'Optimize model mix',
    description: 'Recommended share of each model per task type, now versus with the recommended rules, based on historical performance.',
    input: {
      ...analysisShape,
      ...constraintsInput,
      based_on: z.enum(['historical_performance']).default('historical_performance').describe('Basis of the mix'),
    },
    output: ResultEnvelope.extend({ goal: z.string(), confidence: z.string(), model_mix: z.array(z.looseObject({ taskType: z.string() })) }),
    async run(ctx, args) {
      const { q, set } = await runRecommendations(ctx, args, constraintsOf(args));
      return { ...recommendationEnvelope(q, set), model_mix: set.modelMix.map((m) => ({ ...m })) };
    },
    summarize: (r) => `Model mix for ${r.model_mix.length} task type(s).`,
  }),
  defineTool({
    name: 'create_optimization_plan',
    title: 'Create optimization plan',
    description: 'A phased implementation plan (week 1, weeks 2–4, months 2–3) for the recommendations (all, or the ids given).',
    input: { ...analysisShape, ...constraintsInput, recommendations: listParam('Recommendation ids from optimize_routing_rules (default: all)') },
    output: ResultEnvelope.extend({ goal: z.string(), confidence: z.string(), phases: z.array(z.looseObject({ name: z.string(), timeline: z.string() })) }),
    async run(ctx, args) {
      const { q, set } = await runRecommendations(ctx, args, constraintsOf(args));
      const chosen = new Set(onlyIds(set.recommendations, args.recommendations).map((r) => r.id));
      const phases = set.phases.map((p) => ({ ...p, recommendationIds: p.recommendationIds.filter((id) => chosen.has(id)) }));
      return { ...recommendationEnvelope(q, set), phases };
    },
    summarize: (r) => r.phases.map((p) => `${p.name} (${p.timeline})`).join('; '),
  }),
  defineTool({
    name: 'assess_optimization_risks',
    title: 'Assess optimization risks',
    description: 'Quality, performance and cost risks of each proposed change (all, or the ids given), with mitigations.',
    input: { ...analysisShape, ...constraintsInput, changes: listParam('Recommendation ids to assess (default: all)') },
    output: ResultEnvelope.extend({ goal: z.string(), confidence: z.string(), risks: z.array(z.looseObject({ id: z.string(), level: z.string() })) }),
    async run(ctx, args) {
      const { q, set } = await runRecommendations(ctx, args, constraintsOf(args));
      const risks = onlyIds(set.recommendations, args.changes).map((r) => ({ id: r.id, title: r.title, ...r.risk }));
      return { ...recommendationEnvelope(q, set), risks };
    },
    summarize: (r) => `${r.risks.length} change(s) assessed: ${r.risks.map((x) => `${x.id} ${x.level}`).join(', ') || 'none'}.`,
  }),
  GET_ACTIVE_ALERTS,
  GET_ROUTER_STATUS,
];
