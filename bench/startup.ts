/**
 * `npm run bench:startup` — how fast the aigw command starts and how much memory the gateway holds
 * (issue 19's start-up targets): `aigw --help`, `aigw route "…"`, `aigw serve` until `/health` answers
 * 200, the gateway's RSS idle and after 200 `auto` requests to the simulated fleet. Every figure is a child process started
 * the way a user starts it (`node bin/aigw.mjs …`), timed by wall clock; each command runs `--runs`
 * times and the median is reported, with the machine's load average beside it.
 *
 * Flags: --runs N (5), --out FILE (bench/results/startup.json), --docs FILE (docs/performance.md), --no-docs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { upsertGeneratedBlock } from './lib/markdown-block.ts';
import { gitSourceInfo } from './lib/source-info.ts';
import { startScriptNodeFlags } from './lib/child-processes.ts';
import { compiledIsFresh } from '../bin/dist-fresh.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/startup.json' },
    docs: { type: 'string', default: 'docs/performance.md' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const RUNS = Number(args.runs);
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'aigw.mjs');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Peak RSS (MB) of a finished child, as `getrusage` reports it through GNU time's `%M`, when installed. */
function timedRun(argv: string[], cwd: string): { ms: number; maxRssMb?: number } {
  const useTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, BIN, ...argv], { cwd, encoding: 'utf8' })
    : spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`aigw ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const kb = useTime ? Number(r.stderr.trim().split('\n').at(-1)) : NaN;
  return Number.isFinite(kb) ? { ms, maxRssMb: kb / 1024 } : { ms };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function waitHealthy(url: string, deadlineMs: number): Promise<void> {
  while (performance.now() < deadlineMs) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('gateway did not become healthy within 30 s');
}

/** Requests sent (10 at a time) before the loaded RSS is read; the simulated fleet answers at its real pace. */
const LOAD_REQUESTS = 200;

/** Starts `aigw serve`, times it to a healthy /health, then reads RSS idle and after LOAD_REQUESTS requests. */
async function serveRun(cwd: string, port: number): Promise<{ healthyMs: number; idleRssMb: number; loadedRssMb: number }> {
  const start = performance.now();
  const child = spawn(process.execPath, [...startScriptNodeFlags(), BIN, 'serve', '--port', String(port)], { cwd, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, start + 30_000);
    const healthyMs = performance.now() - start;
    await new Promise((r) => setTimeout(r, 3_000));
    const idleRssMb = rssMb(child.pid!);
    const body = JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'Summarize: the weekly sync moved to Tuesday.' }] });
    for (let i = 0; i < LOAD_REQUESTS / 10; i++) {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.arrayBuffer()),
        ),
      );
    }
    const loadedRssMb = rssMb(child.pid!);
    return { healthyMs, idleRssMb, loadedRssMb };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }
}

const cwd = mkdtempSync(join(tmpdir(), 'aigw-bench-startup-'));
const compiled = compiledIsFresh(ROOT);
try {
  const help = Array.from({ length: RUNS }, () => timedRun(['--help'], cwd));
  const route = Array.from({ length: RUNS }, () => timedRun(['route', 'Summarize: the weekly sync moved to Tuesday.'], cwd));
  const serves = [];
  for (let i = 0; i < RUNS; i++) serves.push(await serveRun(cwd, 4600 + i));
  const result = {
    date: new Date().toISOString(),
    source: gitSourceInfo(ROOT),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg1m: loadavg()[0] ?? 0 },
    compiled,
    runs: RUNS,
    help: { medianMs: median(help.map((r) => r.ms)), maxRssMb: median(help.map((r) => r.maxRssMb ?? NaN)) },
    route: { medianMs: median(route.map((r) => r.ms)), maxRssMb: median(route.map((r) => r.maxRssMb ?? NaN)) },
    serve: {
      healthyMedianMs: median(serves.map((s) => s.healthyMs)),
      idleRssMb: median(serves.map((s) => s.idleRssMb)),
      rssAfterLoadMb: median(serves.map((s) => s.loadedRssMb)),
    },
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  const r1 = (x: number) => x.toFixed(0);
  const table = [
    `Command: \`npm run bench:startup\` (${result.date.slice(0, 16)} UTC, commit ${result.source?.commit ?? '?'}, ${result.machine.cpus} cores, load average ${result.machine.loadavg1m.toFixed(2)}, ${compiled ? 'compiled dist/' : 'from source through tsx'}); medians of ${RUNS} runs.`,
    '',
    '| figure | time | memory | target |',
    '| --- | --- | --- | --- |',
    `| \`aigw --help\` | ${r1(result.help.medianMs)} ms | ${r1(result.help.maxRssMb)} MB peak | ≤ 0.3 s |`,
    `| \`aigw route "…"\` | ${r1(result.route.medianMs)} ms | ${r1(result.route.maxRssMb)} MB peak | ≤ 0.6 s |`,
    `| \`aigw serve\` to a healthy \`/health\` | ${r1(result.serve.healthyMedianMs)} ms | ${r1(result.serve.idleRssMb)} MB idle, ${r1(result.serve.rssAfterLoadMb)} MB after ${LOAD_REQUESTS} requests | ≤ 1 s; ≤ 150 MB idle |`,
  ].join('\n');
  console.log(table);
  if (!args['no-docs']) {
    const doc = existsSync(args.docs) ? readFileSync(args.docs, 'utf8') : '';
    writeFileSync(args.docs, upsertGeneratedBlock(doc, { id: 'bench:startup', heading: '## Start-up and memory', content: table }));
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
