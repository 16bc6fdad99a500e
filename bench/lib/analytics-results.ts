import { TIMEFRAMES, type Timeframe } from '../../src/analytics/analysis-query.ts';
import type { FillStats } from './analytics-fill.ts';
import { REPORT_ANALYSES, type TimedRuns, type TimeframeTiming } from './analytics-timing.ts';
import type { GeneratedBlock } from './markdown-block.ts';

/** Issue 5: the full report over 30 days of 1M requests within 5 s on the embedded store. */
export const TARGET_REPORT_MS = 5_000;

export const ANALYTICS_BLOCK: Omit<GeneratedBlock, 'content'> = { id: 'bench:analytics', heading: '## Analytics report time' };

export interface AnalyticsResults {
  benchmark: 'analytics-report';
  command: string;
  generatedAt: string;
  machine: { node: string; cpu: string; cores: number; totalMemoryMb: number; loadAverage1mAtStart: number; loadAverage1mAtEnd: number };
  /** `reused`: the store was filled by an earlier run with the same spec (`--keep`); the fill numbers are that run's. */
  store: { dialect: 'sqlite'; requests: number; days: number; seed: number; end: string; endMs: number; reused?: boolean } & FillStats;
  runsPerTimeframe: number;
  /** Runs of each analysis alone; its table shows their median. */
  analysisRuns: number;
  target: { reportMs: number; timeframe: Timeframe };
  /** The target timeframe's slowest report run within the target. */
  targetMet: boolean;
  timeframes: TimeframeTiming[];
  /** The gateway code measured: git commit and whether src/ had uncommitted changes. */
  source?: { commit: string; uncommittedSrcChanges: boolean };
  /** An earlier run of the same benchmark to compare with (`--baseline FILE`): its source and report times. */
  baseline?: {
    source?: AnalyticsResults['source'];
    generatedAt: string;
    /** How loaded the shared machine was then: wall times of runs under different loads do not compare. */
    loadAverage1mAtStart?: number;
    timeframes: { timeframe: Timeframe; report: { p50Ms: number; maxMs: number } }[];
  };
}

/** The part of an earlier results file kept as the baseline. */
export function baselineOf(earlier: AnalyticsResults): NonNullable<AnalyticsResults['baseline']> {
  return {
    ...(earlier.source ? { source: earlier.source } : {}),
    generatedAt: earlier.generatedAt,
    loadAverage1mAtStart: earlier.machine.loadAverage1mAtStart,
    timeframes: earlier.timeframes.map((t) => ({ timeframe: t.timeframe, report: { p50Ms: t.report.p50Ms, maxMs: t.report.maxMs } })),
  };
}

/** `30d,7d,24h` → the timeframes, each one the report accepts. */
export function parseTimeframes(text: string): Timeframe[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = list.filter((t) => !Object.hasOwn(TIMEFRAMES, t));
  if (list.length === 0 || unknown.length > 0) throw new Error(`--timeframes: use a comma list of ${Object.keys(TIMEFRAMES).join(', ')}; got ${text}`);
  return list as Timeframe[];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

function analysisRows(results: AnalyticsResults): string[] {
  const ids = Object.keys(results.timeframes[0]?.analyses ?? {});
  const header = `| analysis | in the report | ${results.timeframes.map((t) => `${t.timeframe} ms | ${t.timeframe} CPU ms`).join(' | ')} |`;
  const rule = `| --- | --- | ${results.timeframes.map(() => '---: | ---:').join(' | ')} |`;
  const cells = (r: TimedRuns | undefined) => `${r?.p50Ms ?? '–'} | ${r?.cpuP50Ms ?? '–'}`;
  const rows = ids.map((id) => `| ${id} | ${REPORT_ANALYSES.has(id) ? 'yes' : 'no'} | ${results.timeframes.map((t) => cells(t.analyses[id])).join(' | ')} |`);
  return [header, rule, ...rows];
}

function sourceText(source: AnalyticsResults['source']): string {
  return source ? `commit \`${source.commit}\`${source.uncommittedSrcChanges ? ' plus uncommitted changes in src/' : ''}` : 'unknown source';
}

function reportRows(results: AnalyticsResults): string[] {
  const before = new Map(results.baseline?.timeframes.map((t) => [t.timeframe, t.report]) ?? []);
  const withBefore = before.size > 0;
  const header = `| timeframe | requests in window | report p50 s | report max s | CPU p50 s | runs s |${withBefore ? ' before: p50 s |' : ''}`;
  const rule = `| --- | ---: | ---: | ---: | ---: | --- |${withBefore ? ' ---: |' : ''}`;
  const rows = results.timeframes.map((t) => {
    const b = before.get(t.timeframe);
    const cpu = t.report.cpuP50Ms === undefined ? '–' : seconds(t.report.cpuP50Ms);
    const cells = `| ${t.timeframe} | ${thousands(t.requests)} | ${seconds(t.report.p50Ms)} | ${seconds(t.report.maxMs)} | ${cpu} | ${t.report.runsMs.map(seconds).join(', ')} |`;
    return withBefore ? `${cells} ${b ? seconds(b.p50Ms) : '–'} |` : cells;
  });
  const note = results.baseline
    ? [
        '',
        `"Before" is the same benchmark on ${sourceText(results.baseline.source)} (${results.baseline.generatedAt}${
          results.baseline.loadAverage1mAtStart !== undefined ? `, load average ${results.baseline.loadAverage1mAtStart} at start` : ''
        }).`,
      ]
    : [];
  return [header, rule, ...rows, ...note];
}

/** The generated block of docs/performance.md: command, machine, store, report times and per-analysis times. */
export function renderAnalyticsMarkdown(results: AnalyticsResults, resultsPath: string): string {
  const s = results.store;
  const m = results.machine;
  const target = results.timeframes.find((t) => t.timeframe === results.target.timeframe);
  const verdict = target
    ? `Target: the full ${results.target.timeframe} report ≤ ${seconds(results.target.reportMs)} s — slowest run ${seconds(target.report.maxMs)} s, p50 ${seconds(target.report.p50Ms)} s (${results.targetMet ? 'met' : 'missed'}).`
    : `Target: the full ${results.target.timeframe} report ≤ ${seconds(results.target.reportMs)} s — not measured in this run.`;
  return [
    `Generated by \`${results.command}\` at ${results.generatedAt} (raw numbers: \`${resultsPath}\`).`,
    '',
    `Gateway source: ${sourceText(results.source)}.`,
    '',
    `Machine: ${m.cores} × ${m.cpu}, ${Math.round(m.totalMemoryMb / 1024)} GB, Node ${m.node}; load average ${m.loadAverage1mAtStart.toFixed(2)} at start, ${m.loadAverage1mAtEnd.toFixed(2)} at end.`,
    '',
    `Store: a fresh embedded SQLite file (the store's own migrations) holding ${thousands(s.requests)} requests over ${s.days} days ending ${s.end}, ` +
      `${thousands(s.decisions)} routing decisions and ${thousands(s.feedback)} quality signals (seed ${s.seed}); ${(s.dbBytes / 2 ** 20).toFixed(0)} MiB, filled in ${seconds(s.fillMs)} s${s.reused ? ' (by an earlier run with the same spec; this run reused the store)' : ''}.`,
    '',
    verdict,
    '',
    `The report time is \`buildReport\` plus rendering Markdown — what \`aigw report --timeframe <tf>\` runs — ${results.runsPerTimeframe} runs per timeframe, one after another in one process.`,
    '',
    ...reportRows(results),
    '',
    `Each analysis alone, median of ${results.analysisRuns} run${results.analysisRuns === 1 ? '' : 's'} (the report runs the ones marked "yes"; \`recommendations\` is the replayed rule search; the others serve the MCP tools and \`GET /v1/analytics\`):`,
    '',
    ...analysisRows(results),
  ].join('\n');
}
