import { z } from 'zod';

/**
 * What every analysis takes: a time window and optional filters. One zod schema serves the CLI,
 * `GET /v1/analytics/…` query strings and the MCP tools' input, so they accept the same parameters.
 */
export const TIMEFRAMES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Timeframe = keyof typeof TIMEFRAMES;

export const AnalysisParams = z.object({
  timeframe: z
    .enum(Object.keys(TIMEFRAMES) as [Timeframe, ...Timeframe[]])
    .default('24h')
    .describe('Window ending now: 1h, 24h, 7d or 30d'),
  from: z.iso.datetime({ offset: true }).optional().describe('Window start (ISO 8601); with `to`, replaces `timeframe`'),
  to: z.iso.datetime({ offset: true }).optional().describe('Window end (ISO 8601)'),
  task_types: z.array(z.string().min(1)).optional().describe('Only these task types'),
  keys: z.array(z.string().min(1)).optional().describe('Only these API key ids'),
  models: z.array(z.string().min(1)).optional().describe('Only these models (as used)'),
});
export type AnalysisParams = z.input<typeof AnalysisParams>;

/** Resolved parameters: absolute epoch-ms bounds [fromMs, toMs) and filters; empty filters mean "all". */
export interface AnalysisQuery {
  fromMs: number;
  toMs: number;
  taskTypes: readonly string[];
  keyIds: readonly string[];
  models: readonly string[];
}

export class AnalysisParamsError extends Error {}

export function resolveAnalysisQuery(input: AnalysisParams, nowMs: number): AnalysisQuery {
  const p = AnalysisParams.parse(input);
  if ((p.from === undefined) !== (p.to === undefined)) throw new AnalysisParamsError('give both `from` and `to`, or neither');
  const fromMs = p.from !== undefined ? Date.parse(p.from) : nowMs - TIMEFRAMES[p.timeframe];
  const toMs = p.to !== undefined ? Date.parse(p.to) : nowMs;
  if (!(fromMs < toMs)) throw new AnalysisParamsError('`from` must be before `to`');
  return { fromMs, toMs, taskTypes: p.task_types ?? [], keyIds: p.keys ?? [], models: p.models ?? [] };
}
