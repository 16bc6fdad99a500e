// npm run bench:learning -- [--data FILE...] [--requests 3000] [--out bench/results/learning.json] [--via http|in-process] [--svg FILE]
// Replays outcome files as traffic through the router with learning on, and scores the learned state on a
// fixed 20% of each file that is never served (docs/router-learning.md, "Benchmark").
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LearningConfig } from '../src/config/learning-schema.ts';
import { readOutcomeFiles } from '../src/router/predictor/outcome-rows.ts';
import { renderSvgPlot } from '../src/router/eval/svg-plot.ts';
import { benchBase } from './lib/learning-base.ts';
import { replayOverHttp } from './lib/learning-http.ts';
import { OfflineTrainer } from './lib/learning-offline.ts';
import { replayInProcess, type CurvePoint } from './lib/learning-replay.ts';
import { prepareBenchFile } from './lib/learning-setup.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = resolve(repo, '..', 'shared', 'data');

interface Args {
  data: string[];
  requests: number;
  out: string;
  svg: string | null;
  window: number;
  seed: number;
  exploreShare: number;
  ridgeL2: number;
  base: 'leave-out' | 'shipped';
  via: 'http' | 'in-process';
}

function parseArgs(argv: readonly string[]): Args {
  const defaults = LearningConfig.parse({});
  const args: Args = {
    data: [],
    requests: 3_000,
    out: join(repo, 'bench', 'results', 'learning.json'),
    svg: null,
    window: 250,
    seed: 1,
    exploreShare: defaults.explore_share,
    ridgeL2: defaults.ridge_l2,
    base: 'leave-out',
    via: 'http',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i] ?? '';
    if (a === '--data') while (argv[i + 1] && !argv[i + 1]!.startsWith('--')) args.data.push(next());
    else if (a === '--requests') args.requests = Number.parseInt(next(), 10);
    else if (a === '--out') args.out = resolve(next());
    else if (a === '--svg') args.svg = resolve(next());
    else if (a === '--window') args.window = Number.parseInt(next(), 10);
    else if (a === '--seed') args.seed = Number.parseInt(next(), 10);
    else if (a === '--explore-share') args.exploreShare = Number.parseFloat(next());
    else if (a === '--ridge-l2') args.ridgeL2 = Number.parseFloat(next());
    else if (a === '--base') args.base = next() as Args['base'];
    else if (a === '--via') args.via = next() as Args['via'];
    else throw new Error(`unknown argument ${a}`);
  }
  if (args.data.length === 0) args.data = [join(SHARED, 'mmlu-dev.jsonl'), join(SHARED, 'routerbench-arc-challenge-train.jsonl')];
  return args;
}

const CHECKPOINTS = [500, 1_000, 2_000];

interface GapAt {
  served: number;
  on: number;
  off: number;
  offline: number;
  /** Paired bootstrap sd of (offline − off) on the slice. */
  offline_noise: number;
  gap: number | null;
  note: string;
}

function gapClosed(curve: readonly CurvePoint[], offlineNoise: Record<string, number>): Record<string, GapAt> {
  const out: Record<string, GapAt> = {};
  for (const n of CHECKPOINTS) {
    const p = curve.find((c) => c.served === n);
    if (!p || p.offline === null) continue;
    const span = p.offline - p.off;
    const noise = offlineNoise[String(n)] ?? 0;
    // A ratio over a gap smaller than twice the comparison's own noise says nothing: it is reported as undefined.
    const defined = span > 2 * noise;
    out[String(n)] = {
      served: n,
      on: p.on,
      off: p.off,
      offline: p.offline,
      offline_noise: noise,
      gap: defined ? (p.on - p.off) / span : null,
      note: defined
        ? 'offline beats learning off by more than 2× the paired noise'
        : `offline − off = ${span.toFixed(4)}, not above 2× its paired noise (${(2 * noise).toFixed(4)}): the ratio is undefined`,
    };
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const started = Date.now();
// The machine is shared: the load average at the start and end says how much of it the run had.
const loadAtStart = loadavg();
const results = [];
for (const path of args.data) {
  const t0 = Date.now();
  const file = prepareBenchFile(path, readOutcomeFiles([path]), args.seed);
  const base = benchBase(path, args.base);
  const defaults = LearningConfig.parse({});
  const common = {
    requests: args.requests,
    window: args.window,
    seed: args.seed,
    exploreShare: args.exploreShare,
    ridgeL2: args.ridgeL2,
    refitEvery: defaults.refit_every_outcomes,
  };
  const log = (line: string) => console.error(line);
  const offline = new OfflineTrainer(base.trainingFiles);
  // Default: through a started gateway over HTTP, grades as POST /v1/feedback; in-process: the router called directly.
  const replay =
    args.via === 'http'
      ? await replayOverHttp(file, base.predictor, { ...common, modelFile: base.modelFile, checkpoints: CHECKPOINTS, offline, log })
      : await replayInProcess(file, base.predictor, { ...common, residualL2: defaults.residual_l2, offline, checkpoints: CHECKPOINTS, log });
  const worstBelowOff = Math.max(...replay.curve.map((c) => c.off - c.on));
  // A window is worse than learning off beyond its noise when off − on exceeds the paired sd of (on − off).
  const worseBeyondNoise = replay.curve.filter((c) => c.served > 0 && c.off - c.on > c.onOffNoise).map((c) => c.served);
  results.push({
    file: basename(path),
    rows: file.rows.length,
    evalRows: file.evalRows.length,
    servableRows: file.servable.length,
    models: file.models.length,
    metric: replay.metric,
    base: base.description,
    noise: replay.noise,
    curve: replay.curve,
    gap_closed_at: gapClosed(replay.curve, replay.offlineNoise),
    oracle: { ...replay.oracle, minus_off: replay.oracle.value - replay.curve[0]!.off },
    worst_window_below_off: worstBelowOff,
    windows_worse_than_off_beyond_noise: worseBeyondNoise,
    explored: replay.explored,
    served_by_model: replay.servedByModel,
    refits: replay.refits,
    refit_ms_total: Math.round(replay.refitMsTotal),
    phase_ms: replay.phaseMs,
    seconds: (Date.now() - t0) / 1000,
  });
}
const report = {
  command: `npm run bench:learning -- ${process.argv.slice(2).join(' ')}`.trim(),
  date: new Date().toISOString(),
  requests: args.requests,
  window: args.window,
  explore_share: args.exploreShare,
  ridge_l2: args.ridgeL2,
  via: args.via === 'http' ? 'HTTP requests to a started gateway on a simulated fleet, grades as POST /v1/feedback' : 'the router called in-process',
  offline:
    "retrained as aigw router train --from-store --data <the base router's files> would: the shipped configuration (seed 42) on the base router's training files plus the distinct served prompts with every model's outcome",
  seconds: (Date.now() - started) / 1000,
  load_average: { start: loadAtStart.map((l) => Math.round(l * 100) / 100), end: loadavg().map((l) => Math.round(l * 100) / 100), cpus: cpus().length },
  files: results,
};
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(report, null, 1)}\n`);
if (args.svg) {
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  const series = results.flatMap((r, k) => [
    { name: `${r.file} learning on`, color: colors[k % colors.length]!, style: 'line' as const, points: r.curve.map((c) => ({ x: c.served, y: c.on })) },
    { name: `${r.file} learning off`, color: colors[k % colors.length]!, style: 'dashed' as const, points: r.curve.map((c) => ({ x: c.served, y: c.off })) },
    {
      name: `${r.file} offline`,
      color: colors[k % colors.length]!,
      style: 'points' as const,
      points: r.curve.flatMap((c) => (c.offline === null ? [] : [{ x: c.served, y: c.offline }])),
    },
    {
      name: `${r.file} oracle (all servable rows)`,
      color: '#7f7f7f',
      style: 'dashed' as const,
      points: [0, r.curve[r.curve.length - 1]!.served].map((x) => ({ x, y: r.oracle.value })),
    },
  ]);
  for (const r of results) {
    const own = series.filter((s) => s.name.startsWith(r.file));
    writeFileSync(
      args.svg.replace(/\.svg$/, `.${r.file.replace(/\.jsonl$/, '')}.svg`),
      renderSvgPlot(own, { title: `${r.file}: ${r.metric.toUpperCase()} on the never-served 20%`, xLabel: 'requests served', yLabel: r.metric.toUpperCase() }),
    );
  }
}
console.log(
  JSON.stringify(
    results.map((r) => ({
      file: r.file,
      metric: r.metric,
      noise: r.noise,
      oracle: r.oracle,
      gap_closed_at: r.gap_closed_at,
      windows_worse_than_off_beyond_noise: r.windows_worse_than_off_beyond_noise,
      seconds: r.seconds,
      phase_ms: r.phase_ms,
    })),
    null,
    1,
  ),
);
