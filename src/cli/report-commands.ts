import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { refreshRollups } from '../analytics/rollup/refresh-rollups.ts';
import { buildReport, reportOptionsOf } from '../analytics/report/build-report.ts';
import { ReportParams } from '../analytics/report/report-params.ts';
import { renderReport } from '../analytics/report/render-report.ts';
import { lazyConfiguredStoreContext } from './configured-store-context.ts';
import { analysisParamsOf } from '../mcp/tool-context.ts';

interface ReportCommandOptions {
  timeframe: string;
  from?: string;
  to?: string;
  goal: string;
  costThreshold?: string;
  qualityThreshold?: string;
  targetReduction: string;
  taskTypes?: string;
  keys?: string;
  models?: string;
  format: string;
  out?: string;
}

/** Commander options → ReportParams, so the CLI accepts exactly what GET /v1/report accepts. */
export function parseReportOptions(opts: ReportCommandOptions): ReportParams {
  const parsed = ReportParams.safeParse({
    timeframe: opts.timeframe,
    from: opts.from,
    to: opts.to,
    goal: opts.goal,
    cost_threshold: opts.costThreshold,
    quality_threshold: opts.qualityThreshold,
    target_reduction: opts.targetReduction,
    task_types: opts.taskTypes,
    keys: opts.keys,
    models: opts.models,
    format: opts.format,
  });
  if (!parsed.success) {
    throw new InvalidArgumentError(parsed.error.issues.map((i) => `--${String(i.path[0] ?? '').replaceAll('_', '-')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

export function registerReportCommands(program: Command): void {
  program
    .command('report')
    .description('write the LLM Routing Optimization Report over the configured store')
    .option('--timeframe <window>', 'window ending now: 1h, 24h, 7d or 30d', '7d')
    .option('--from <iso>', 'window start (ISO 8601; with --to, replaces --timeframe)')
    .option('--to <iso>', 'window end (ISO 8601)')
    .option('--goal <goal>', 'cost, speed, quality or balanced', 'balanced')
    .option('--cost-threshold <usd>', 'maximum acceptable cost per request, USD')
    .option('--quality-threshold <score>', 'minimum required quality, 0–1')
    .option('--target-reduction <pct>', 'cost reduction to plan for, e.g. 20%', '20%')
    .option('--task-types <list>', 'only these task types (comma-separated)')
    .option('--keys <list>', 'only these API key ids (comma-separated)')
    .option('--models <list>', 'only these models (comma-separated)')
    .option('--format <fmt>', 'md, json or html', 'md')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (opts: ReportCommandOptions) => {
      const params = parseReportOptions(opts);
      const ctx = lazyConfiguredStoreContext(process.cwd(), program.opts<{ config?: string }>().config);
      try {
        const store = await ctx.store();
        // Stored so the report's `aigw rules apply ID` lines find their recommendations.
        // The hours the gateway has not rolled up yet (or all of them, for a store no gateway runs on).
        await refreshRollups(store.db, Date.now());
        const doc = await buildReport(store.readDb, analysisParamsOf(params), { ...reportOptionsOf(params, ctx.config()), persistTo: store }, Date.now());
        const text = renderReport(doc, params.format);
        if (opts.out) {
          writeFileSync(opts.out, text);
          console.error(`Wrote the report (${params.format}) to ${opts.out}.`);
        } else {
          process.stdout.write(text);
        }
      } finally {
        await ctx.close();
      }
    });
}
