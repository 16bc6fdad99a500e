import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** Prompt arguments are strings on the wire (MCP prompts take string arguments only). */
export const OptimizePromptArgs = {
  analysis_timeframe: z.enum(['1h', '24h', '7d', '30d']).optional().describe('Time period to analyze (default 7d)'),
  task_types: z.string().optional().describe('Comma-separated task types to focus on (default: all)'),
  cost_threshold: z
    .string()
    .regex(/^[0-9]*\.?[0-9]+$/, 'a number, e.g. 0.01')
    .optional()
    .describe('Maximum acceptable cost per request, USD'),
  quality_threshold: z
    .string()
    .regex(/^(0(\.[0-9]+)?|1(\.0+)?)$/, 'a number from 0 to 1')
    .optional()
    .describe('Minimum required quality score, 0–1'),
  optimization_goal: z.enum(['cost', 'speed', 'quality', 'balanced']).optional().describe('Primary optimization target'),
};

type PromptArgs = { [K in keyof typeof OptimizePromptArgs]?: string };

/**
 * The seed's five-step workflow as one user message naming the exact tool calls, so an agent runs
 * the same analysis `aigw report` does, in the same order, with the same parameters.
 */
export function optimizePromptText(args: PromptArgs): string {
  const timeframe = args.analysis_timeframe ?? '7d';
  const goal = args.optimization_goal ?? 'balanced';
  const cost = args.cost_threshold ?? '0.01';
  const quality = args.quality_threshold ?? '0.8';
  const tasks = args.task_types ? `, task_types="${args.task_types}"` : '';
  const w = `timeframe="${timeframe}"${tasks}`;
  // Recommendation ids hash the rule, which depends on goal and constraints: every call that takes or
  // passes ids gets the same goal and constraints, or the ids of step 4 are unknown in step 5.
  const gc = `goal="${goal}", constraints="cost<${cost},quality>${quality}"`;
  return [
    `Optimize the LLM routing of this aigw gateway for goal "${goal}" under cost < $${cost} per request and quality > ${quality}, over the last ${timeframe}.`,
    '',
    'Step 1 — Current state analysis:',
    `  1. intelligence-router get_routing_analytics ${w}: total requests, routing latency, model distribution, success/failure rates.`,
    `  2. cost-tracker get_routing_costs ${w}, group_by="model,task_type": cost per tier and task type, budget utilization, cost trend.`,
    `  3. intelligence-router get_quality_metrics ${w}: quality by model, quality–cost correlation, completion rates.`,
    'Step 2 — Routing pattern analysis:',
    `  1. intelligence-router analyze_request_patterns ${w}: task mix, peak periods, complexity distribution.`,
    `  2. intelligence-router evaluate_model_performance ${w}, models="all": quality, latency, cost efficiency, reliability per task type.`,
    `  3. intelligence-router analyze_routing_decisions ${w}, criteria="${goal}": hindsight-best vs chosen model, missed savings, rule effectiveness.`,
    'Step 3 — Bottleneck identification:',
    `  1. intelligence-router identify_bottlenecks ${w}, type="performance".`,
    `  2. cost-tracker identify_cost_drivers ${w}.`,
    `  3. intelligence-router identify_quality_issues ${w}, threshold=${quality}.`,
    'Step 4 — Optimization recommendations:',
    `  1. intelligence-router optimize_routing_rules ${w}, ${gc}.`,
    `  2. intelligence-router optimize_model_mix ${w}, ${gc}, based_on="historical_performance".`,
    `  3. cost-tracker generate_cost_optimization_plan target_reduction="20%", timeframe="30d".`,
    'Step 5 — Implementation planning:',
    `  1. intelligence-router create_optimization_plan ${w}, ${gc} (pass the recommendation ids from step 4 as recommendations).`,
    `  2. intelligence-router assess_optimization_risks ${w}, ${gc} (pass the same ids as changes).`,
    '',
    'Then write the "LLM Routing Optimization Report" with the sections: Executive Summary; Current State Analysis (performance, cost, quality);',
    'Optimization Opportunities (high, medium, low impact); Recommended Routing Rules with a model selection matrix; Implementation Plan',
    '(Phase 1 week 1, Phase 2 weeks 2–4, Phase 3 months 2–3); Expected Outcomes; Monitoring and Validation.',
    'Quote every number with the tool that produced it. Where a tool reports data_gaps or a small sample_size, say so plainly,',
    'give the confidence interval it reports, and recommend collecting more data; where goals conflict, present the trade-off scenarios.',
  ].join('\n');
}

export function registerOptimizePrompt(server: McpServer): void {
  server.registerPrompt(
    'optimize_llm_routing',
    {
      title: 'Optimize LLM routing',
      description:
        "Walks the five steps of the routing optimization workflow (current state, patterns, bottlenecks, recommendations, implementation plan) with this server's tools.",
      argsSchema: OptimizePromptArgs,
    },
    (args): GetPromptResult => ({
      description: 'LLM routing optimization workflow',
      messages: [{ role: 'user', content: { type: 'text', text: optimizePromptText(args) } }],
    }),
  );
}
