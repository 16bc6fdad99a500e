/**
 * `npm run bench:analytics` — how long the LLM Routing Optimization Report takes over a big history.
 * Fills a fresh embedded (SQLite) store with a generated month of traffic (default 1,000,000
 * requests over 30 days, seeded), then times the full report — the code path of
 * `aigw report --timeframe 30d` — over 30d, 7d and 24h, several runs each, and every analysis alone.
 * Writes bench/results/analytics.json and the "Analytics report time" section of docs/performance.md.
 *
 * Flags: --rows N (1000000), --days N (30), --seed N (42), --runs N (report runs per timeframe, 3),
 * --analysis-runs N (runs of each analysis alone, 1), --end ISO (2026-11-30T12:00:00Z),
 * --timeframes 30d,7d,24h, --out FILE (bench/results/analytics.json), --docs FILE (docs/performance.md),
 * --no-docs, --keep DIR (fill DIR and keep it; reuses a store already filled there with the same spec),
 * --baseline FILE (an earlier results file whose report times the docs show as "before").
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Timeframe } from '../src/analytics/analysis-query.ts';
import { refreshRollups } from '../src/analytics/rollup/refresh-rollups.ts';
import { openStore } from '../src/store/open-store.ts';
import { benchmarkConfig, fillAnalyticsStore, type FillStats } from './lib/analytics-fill.ts';
import { ANALYTICS_BLOCK, baselineOf, parseTimeframes, renderAnalyticsMarkdown, TARGET_REPORT_MS, type AnalyticsResults } from './lib/analytics-results.ts';
import { timeTimeframe, type TimeframeTiming } from './lib/analytics-timing.ts';
import { upsertGeneratedBlock } from './lib/markdown-block.ts';
import { gitSourceInfo } from './lib/source-info.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
    'analysis-runs': { type: 'string', default: '1' },
    end: { type: 'string', default: '2026-11-30T12:00:00Z' },
    timeframes: { type: 'string', default: '30d,7d,24h' },
    out: { type: 'string', default: 'bench/results/analytics.json' },
    docs: { type: 'string', default: 'docs/performance.md' },
    'no-docs': { type: 'boolean', default: false },
    keep: { type: 'string' },
    baseline: { type: 'string' },
  },
});

const spec = {
  requests: Number.parseInt(args.rows, 10),
  days: Number.parseFloat(args.days),
  endMs: Date.parse(args.end),
  seed: Number.parseInt(args.seed, 10),
};
const runs = { report: Number.parseInt(args.runs, 10), analysis: Number.parseInt(args['analysis-runs'], 10) };
const timeframes: Timeframe[] = parseTimeframes(args.timeframes);
if (!(spec.requests > 0) || !(spec.days > 0) || Number.isNaN(spec.endMs) || !(runs.report > 0) || !(runs.analysis > 0)) {
  throw new Error('--rows, --days, --runs and --analysis-runs must be positive numbers and --end an ISO date');
}

async function fill(dir: string): Promise<FillStats & { reused?: boolean }> {
  const specFile = join(dir, 'bench-spec.json');
  const specText = JSON.stringify(spec);
  if (existsSync(specFile) && readFileSync(specFile, 'utf8') === specText) {
    const kept = JSON.parse(readFileSync(join(dir, 'bench-fill.json'), 'utf8')) as FillStats;
    console.error(`reusing the store filled in ${dir} (${kept.requests} requests)`);
    return { ...kept, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bar = new cliProgress.SingleBar(
    {
      format: 'filling |{bar}| {value}/{total} requests · {eta_formatted} left',
      hideCursor: true,
      stream: process.stderr,
      // In a log (CI, a redirected run) a line every 10 s instead of nothing.
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(spec.requests, 0);
  const stats = await fillAnalyticsStore(dir, spec, benchmarkConfig(), (n) => bar.update(n));
  bar.stop();
  writeFileSync(join(dir, 'bench-fill.json'), JSON.stringify(stats));
  writeFileSync(specFile, specText);
  return stats;
}

async function main(): Promise<void> {
  const dir = args.keep ? resolve(args.keep) : mkdtempSync(join(tmpdir(), 'aigw-bench-analytics-'));
  const loadAverage1mAtStart = loadavg()[0] ?? 0;
  const source = gitSourceInfo();
  const baseline = args.baseline ? baselineOf(JSON.parse(readFileSync(resolve(args.baseline), 'utf8')) as AnalyticsResults) : undefined;
  try {
    const filled = await fill(dir);
    console.error(
      `filled ${filled.requests} requests, ${filled.decisions} decisions, ${filled.feedback} feedback rows in ${(filled.fillMs / 1000).toFixed(1)} s (${(filled.dbBytes / 2 ** 20).toFixed(0)} MiB)`,
    );
    const store = await openStore({ dir });
    // What the gateway's background refresher has done by the time anyone asks for a report.
    const rollupStartedMs = performance.now();
    await refreshRollups(store.db, spec.endMs);
    const rollupMs = Math.round(performance.now() - rollupStartedMs);
    console.error(`rolled up the request log in ${(rollupMs / 1000).toFixed(1)} s (nothing new when reused)`);
    const config = benchmarkConfig();
    const timings: TimeframeTiming[] = [];
    try {
      for (const timeframe of timeframes) {
        const t = await timeTimeframe(store.readDb, config, timeframe, spec.endMs, runs);
        console.error(`${timeframe}: report p50 ${t.report.p50Ms} ms (CPU ${t.report.cpuP50Ms} ms), max ${t.report.maxMs} ms over ${t.requests} requests`);
        for (const [id, a] of Object.entries(t.analyses)) console.error(`  ${id.padEnd(18)} p50 ${a.p50Ms} ms (CPU ${a.cpuP50Ms} ms)`);
        timings.push(t);
      }
    } finally {
      await store.close();
    }
    const results: AnalyticsResults = {
      benchmark: 'analytics-report',
      command: ['npm run bench:analytics', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      generatedAt: new Date().toISOString(),
      ...(source ? { source } : {}),
      machine: {
        node: process.version,
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cores: cpus().length,
        totalMemoryMb: Math.round(totalmem() / 2 ** 20),
        loadAverage1mAtStart,
        loadAverage1mAtEnd: loadavg()[0] ?? 0,
      },
      store: { dialect: 'sqlite', ...spec, end: new Date(spec.endMs).toISOString(), ...filled },
      runsPerTimeframe: runs.report,
      analysisRuns: runs.analysis,
      target: { reportMs: TARGET_REPORT_MS, timeframe: '30d' },
      targetMet: timings.every((t) => t.timeframe !== '30d' || t.report.maxMs <= TARGET_REPORT_MS),
      timeframes: timings,
      ...(baseline ? { baseline } : {}),
    };
    const out = resolve(args.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.error(`wrote ${args.out}`);
    if (!args['no-docs']) {
      const docs = resolve(args.docs);
      const before = existsSync(docs) ? readFileSync(docs, 'utf8') : '';
      writeFileSync(docs, upsertGeneratedBlock(before, { ...ANALYTICS_BLOCK, content: renderAnalyticsMarkdown(results, args.out) }));
      console.error(`updated ${args.docs}`);
    }
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
