import { z } from 'zod';
import { AnalysisParams } from '../analysis-query.ts';

/**
 * The seed's tool parameters as zod shapes. Lists accept a JSON array or the seed's comma form
 * (`group_by="model,task_type"`), because the MCP Inspector CLI and many agents pass plain strings.
 */
export function listParam(description: string) {
  return z
    .union([z.array(z.string().min(1)), z.string()])
    .transform((v) =>
      Array.isArray(v)
        ? v
        : v
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0),
    )
    .optional()
    .describe(description);
}

/** AnalysisParams with list filters that also take the comma form; the single source of window parameters. */
export const analysisShape = {
  ...AnalysisParams.shape,
  task_types: listParam('Only these task types (array or comma-separated)'),
  keys: listParam('Only these API key ids (array or comma-separated)'),
  models: listParam('Only these models as used (array or comma-separated; "all" for every model)'),
};

export const OptimizationGoal = z.enum(['cost', 'speed', 'quality', 'balanced']);
export type OptimizationGoal = z.infer<typeof OptimizationGoal>;

export const goalParam = OptimizationGoal.default('balanced').describe('Primary optimization target: cost, speed, quality or balanced');
export const costThresholdParam = z.coerce.number().positive().optional().describe('Maximum acceptable cost per request in USD');
export const qualityThresholdParam = z.coerce.number().min(0).max(1).optional().describe('Minimum required quality score, 0–1');

/** `20%`, `20` or `0.2` → 0.2: the seed writes `target_reduction="20%"`. */
export const targetReductionParam = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.trim().replace(/%$/, ''));
    const fraction = typeof v === 'string' && v.trim().endsWith('%') ? n / 100 : n > 1 ? n / 100 : n;
    if (!Number.isFinite(fraction) || fraction <= 0 || fraction >= 1) {
      ctx.addIssue({ code: 'custom', message: `target_reduction must be between 0% and 100% (exclusive); got ${String(v)}` });
      return z.NEVER;
    }
    return fraction;
  })
  .default(0.2)
  .describe('Cost reduction to plan for: "20%", 20 or 0.2');

/** `aigw report` and `GET /v1/report`: the analysis window plus the goal, constraints and output format. */
export const ReportParams = z.object({
  ...analysisShape,
  goal: goalParam,
  cost_threshold: costThresholdParam,
  quality_threshold: qualityThresholdParam,
  target_reduction: targetReductionParam,
  format: z.enum(['md', 'json', 'html']).default('md').describe('Output format'),
});
export type ReportParams = z.output<typeof ReportParams>;
