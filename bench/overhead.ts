/**
 * `npm run bench:overhead` — the gateway's added latency and throughput against calling the
 * simulated upstream directly (issue 2) and against the Portkey gateway proxying to the same
 * upstream. Four processes on one machine: this one (autocannon), the simulated upstream, `aigw
 * serve` with the default config (SQLite store writing every row) and Portkey's `start-server.js`.
 *
 * Flags: --duration S (10, per target, split in --rounds 5 interleaved slices), --stream-duration S (5),
 * --warmup S (2), --connections 1,10,50, --stream-connections 1,10, --no-keyed (leave out the second
 * gateway with an API key, budgets and a rate limit in Redis), --redis URL (REDIS_URL or 127.0.0.1:6379),
 * --no-stream, --no-portkey (leave the Portkey gateway out), --no-floor (leave out the floor: a bare Node
 * proxy, bench/lib/bare-proxy.mjs, that forwards with undici and does nothing else), --profile (run the gateway under node --cpu-prof and summarize where its time goes),
 * --profile-keyed (the same for the keyed gateway instead),
 * --defer-log (hold log rows in memory until shutdown: the same run without store writes), --out FILE
 * (bench/results/overhead.json; a profile goes beside it), --docs FILE (docs/performance.md), --no-docs,
 * --from-json FILE (measure nothing: render the tables and the docs block from an earlier results file).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { DEFAULT_FLEET, fleetCatalog, withoutErrors } from '../src/sim/fleet.ts';
import {
  startBareProxyProcess,
  startGatewayProcess,
  startPortkeyProcess,
  startScriptNodeFlags,
  startSimProcess,
  type ServerProcess,
} from './lib/child-processes.ts';
import { summarizeCpuProfile, type CpuProfile } from './lib/cpu-profile-summary.ts';
import { countByModelUsed, readGatewayRequestRows, rowsInWindow } from './lib/gateway-request-rows.ts';
import { summarizeLatencies } from './lib/latency-stats.ts';
import { gitSourceInfo } from './lib/source-info.ts';
import { upsertGeneratedBlock } from './lib/markdown-block.ts';
import { renderOverheadConsole, renderOverheadMarkdown } from './lib/overhead-report.ts';
import { measureGroup, type MeasuredRun, type PlannedTarget } from './lib/measure-run.ts';
import { compareToDirect, isAigwTarget, type OverheadResults, type RunResult } from './lib/overhead-results.ts';
import { startKeyedGateway } from './lib/keyed-gateway.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    'stream-duration': { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '1,10,50' },
    'stream-connections': { type: 'string', default: '1,10' },
    'no-keyed': { type: 'boolean', default: false },
    redis: { type: 'string', default: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    'no-stream': { type: 'boolean', default: false },
    'no-portkey': { type: 'boolean', default: false },
    'no-floor': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-keyed': { type: 'boolean', default: false },
    /** Node flags for both aigw processes and the floor (space-separated), e.g. to compare V8 heap settings. */
    'gateway-node-flags': { type: 'string', default: '' },
    out: { type: 'string', default: 'bench/results/overhead.json' },
    docs: { type: 'string', default: 'docs/performance.md' },
    'no-docs': { type: 'boolean', default: false },
    'defer-log': { type: 'boolean', default: false },
    'from-json': { type: 'string' },
  },
});

const TARGETS = { addedP50Ms: 0.5, addedP99Ms: 2 };
const SIM_TIME_SCALE = 0;
const PAUSE_BETWEEN_RUNS_MS = 200;
const durationS = Number(args.duration);
const streamDurationS = Number(args['stream-duration']);
const warmupS = Number(args.warmup);
const rounds = Math.max(1, Number.parseInt(args.rounds, 10));
const connectionCounts = args.connections.split(',').map((c) => Number.parseInt(c, 10));
const streamConnectionCounts = args['stream-connections'].split(',').map((c) => Number.parseInt(c, 10));
/** --defer-log: the gateway keeps every row in memory and writes them at shutdown (A/B of the store's cost). */
const DEFERRED_STORE = { batch_size: 10_000_000, max_queue: 10_000_000, flush_interval_ms: 3_600_000 };
const streamModes = args['no-stream'] ? [false] : [false, true];
const REQUEST_BODY = {
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'What is the capital of France? Answer in one word.' },
  ],
  max_tokens: 16,
  temperature: 0,
};
const STREAM_FIELDS = { stream: true, stream_options: { include_usage: true } };

function clockTicksPerS(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function bodyFor(model: string, stream: boolean): string {
  return JSON.stringify({ model, ...REQUEST_BODY, ...(stream ? STREAM_FIELDS : {}) });
}

/** One request through each path before measuring: fails loudly instead of benchmarking errors. */
async function probe(url: string, model: string, stream: boolean, headers: Record<string, string> = {}): Promise<Headers> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: bodyFor(model, stream),
  });
  const text = await res.text();
  const ok = res.status === 200 && (stream ? text.includes('data: [DONE]') : text.includes('"choices"'));
  if (!ok) throw new Error(`probe of ${url} (model ${model}, stream ${stream}) failed: ${res.status} ${text.slice(0, 300)}`);
  return res.headers;
}

/** Prints the tables and rewrites the generated block of the docs page from `results`. */
function publish(results: OverheadResults, wrote: string): void {
  if (!args['no-docs']) {
    const docsPath = resolve(args.docs);
    mkdirSync(dirname(docsPath), { recursive: true });
    const doc = existsSync(docsPath) ? readFileSync(docsPath, 'utf8') : '';
    writeFileSync(docsPath, upsertGeneratedBlock(doc, { id: 'bench:overhead', heading: '## Gateway overhead', content: renderOverheadMarkdown(results) }));
  }
  console.log(renderOverheadConsole(results));
  console.log(`\n${wrote}${args['no-docs'] ? '' : ` and ${args.docs}`}`);
}

async function main(): Promise<void> {
  const loadAverage1mAtStart = loadavg()[0] ?? 0;
  const ticks = clockTicksPerS();
  const source = gitSourceInfo();
  const workDir = mkdtempSync(join(tmpdir(), 'aigw-bench-overhead-'));
  const profileDir = join(workDir, 'profiles');
  const profileFlags = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const processes: ServerProcess[] = [];
  try {
    const sim = await startSimProcess(SIM_TIME_SCALE);
    processes.push(sim);
    const catalog = fleetCatalog(withoutErrors(DEFAULT_FLEET), sim.url);
    const configPath = join(workDir, 'aigw.yaml');
    // Only the fleet: store, routing, reliability and logging are the defaults a user gets.
    const gatewayConfig = args['defer-log'] ? { ...catalog, store: DEFERRED_STORE } : catalog;
    writeFileSync(configPath, stringify(gatewayConfig));
    const nodeFlags = args['gateway-node-flags'].split(' ').filter(Boolean);
    const gateway = await startGatewayProcess({
      cwd: workDir,
      configPath,
      nodeFlags: [...nodeFlags, ...(args.profile ? profileFlags : [])],
    });
    processes.push(gateway);
    const keyed = args['no-keyed']
      ? undefined
      : await startKeyedGateway({
          workDir,
          catalog: gatewayConfig,
          redisUrl: args.redis,
          nodeFlags: [...nodeFlags, ...(args['profile-keyed'] ? profileFlags : [])],
        });
    if (keyed) processes.push(keyed);
    const portkey = args['no-portkey'] ? undefined : await startPortkeyProcess({ cwd: workDir, upstreamUrl: sim.url });
    if (portkey) processes.push(portkey);
    // The floor runs with the gateway's node flags (npm start's and --gateway-node-flags), so the two differ only in code.
    const floorNodeFlags = [...startScriptNodeFlags(), ...nodeFlags];
    const floor = args['no-floor'] ? undefined : await startBareProxyProcess({ upstreamUrl: sim.url, nodeFlags: floorNodeFlags });
    if (floor) processes.push(floor);

    const routed = (await probe(gateway.url, 'auto', false)).get('x-aigw-model');
    if (!routed) throw new Error('the gateway did not say which model answered (x-aigw-model)');
    const namedModel = routed;
    for (const stream of streamModes) {
      await probe(sim.url, namedModel, stream);
      await probe(gateway.url, namedModel, stream);
      await probe(gateway.url, 'auto', stream);
      if (keyed) await probe(keyed.url, namedModel, stream, keyed.headers);
      if (portkey) await probe(portkey.url, namedModel, stream, portkey.info.headers);
      if (floor) await probe(floor.url, namedModel, stream);
    }

    const plan: Omit<PlannedTarget, 'body'>[] = [
      { target: 'direct', baseUrl: sim.url, model: namedModel },
      { target: 'gateway-named', baseUrl: gateway.url, model: namedModel, proxy: 'gateway' },
      { target: 'gateway-auto', baseUrl: gateway.url, model: 'auto', proxy: 'gateway' },
      ...(keyed
        ? [{ target: 'gateway-keyed', baseUrl: keyed.url, model: namedModel, headers: keyed.headers, proxy: 'gateway', pidName: 'gatewayKeyed' } as const]
        : []),
      ...(portkey ? [{ target: 'portkey', baseUrl: portkey.url, model: namedModel, headers: portkey.info.headers, proxy: 'portkey' } as const] : []),
      ...(floor ? [{ target: 'floor', baseUrl: floor.url, model: namedModel, proxy: 'floor' } as const] : []),
    ];
    const pids = {
      gateway: gateway.pid,
      ...(keyed ? { gatewayKeyed: keyed.pid } : {}),
      ...(portkey ? { portkey: portkey.pid } : {}),
      ...(floor ? { floor: floor.pid } : {}),
      sim: sim.pid,
      loadGenerator: process.pid,
    };
    const measured: MeasuredRun[] = [];
    for (const stream of streamModes) {
      for (const connections of stream ? streamConnectionCounts : connectionCounts) {
        const group = await measureGroup({
          targets: plan.map((p) => ({ ...p, body: bodyFor(p.model, stream) })),
          stream,
          connections,
          warmupS,
          durationS: stream ? streamDurationS : durationS,
          rounds,
          pauseMs: PAUSE_BETWEEN_RUNS_MS,
          pids,
          ticksPerS: ticks,
        });
        measured.push(...group);
      }
    }

    // SIGTERM makes the gateway flush its batched rows (and write the CPU profile) before exiting.
    const exitCode = await gateway.stop();
    if (exitCode !== 0) throw new Error(`the gateway exited with code ${exitCode}`);
    const keyedExit = keyed ? await keyed.stop() : 0;
    if (keyedExit !== 0) throw new Error(`the keyed gateway exited with code ${keyedExit}`);
    const rows = await readGatewayRequestRows(join(workDir, 'data'));
    const keyedRows = keyed ? await readGatewayRequestRows(keyed.storeDir) : [];
    const runs: RunResult[] = measured.map(({ run, load }) => {
      const base: RunResult = { ...run, latency: summarizeLatencies(load.latenciesMs) };
      if (!isAigwTarget(run.target)) return base;
      const from = run.target === 'gateway-keyed' ? keyedRows : rows;
      const mine = load.windows.flatMap((w) => rowsInWindow(from, { ...w, modelRequested: run.model, stream: run.stream }));
      return {
        ...base,
        gatewayOverhead: summarizeLatencies(mine.filter((r) => r.status === 200).map((r) => r.overhead_ms)),
        rowsLogged: mine.length,
        modelUsed: countByModelUsed(mine),
      };
    });

    const results: OverheadResults = {
      benchmark: 'gateway-overhead',
      command: ['npm run bench:overhead', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      generatedAt: new Date().toISOString(),
      ...(source ? { source } : {}),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        totalMemoryMb: Math.round(totalmem() / 2 ** 20),
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        loadAverage1mAtStart,
        loadAverage1mAtEnd: loadavg()[0] ?? 0,
      },
      config: {
        durationS,
        streamDurationS,
        warmupS,
        rounds,
        connections: connectionCounts,
        streamConnections: streamConnectionCounts,
        simTimeScale: SIM_TIME_SCALE,
        requestBody: REQUEST_BODY,
        namedModel,
        topology: portkey
          ? `four processes on the same machine, all over loopback HTTP/1.1 keep-alive: the load generator (\`bench/overhead.ts\` itself, autocannon), the simulated upstream (\`bench/lib/sim-child.ts\`, default fleet without injected errors), the gateway (\`node bin/aigw.mjs serve --port 0\`, its own process and cwd) and the Portkey gateway (${portkey.info.package} ${portkey.info.version}, \`${portkey.info.command}\`). Direct runs send the same body to the simulator; gateway runs go through aigw, Portkey runs through Portkey (headers ${Object.entries(
              portkey.info.headers,
            )
              .map(([k, v]) => `\`${k}: ${v}\``)
              .join(', ')}), to the same simulator.`
          : 'three processes on the same machine, all over loopback HTTP/1.1 keep-alive: the load generator (`bench/overhead.ts` itself, autocannon), the simulated upstream (`bench/lib/sim-child.ts`, default fleet without injected errors) and the gateway (`node bin/aigw.mjs serve --port 0`, its own process and cwd). Direct runs send the same body to the simulator; gateway runs go through the gateway to the same simulator.',
        ...(portkey ? { portkey: portkey.info } : {}),
        ...(keyed ? { keyedConfig: keyed.description } : {}),
        ...(floor
          ? {
              floorConfig: `a bare Node proxy in its own process (\`${['node', ...floorNodeFlags, 'bench/lib/bare-proxy.mjs'].join(' ')}\`, plain JavaScript, no tsx): it reads the request body, sends it unchanged to the simulator through an undici keep-alive pool with aigw's pool settings, and writes the answer back; no parsing, routing, logging or metrics. It is the floor: what any Node.js gateway on this machine pays at least.`,
            }
          : {}),
        gatewayConfig: `the simulated fleet only (\`fleetCatalog\`); everything else default: SQLite store in \`./data\` writing one row per request plus one decision row per routed request ${args['defer-log'] ? '(DEFERRED by --defer-log: every row held in memory and written at shutdown, to measure the gateway without its store writes)' : '(batch 500, flush every 200 ms)'}, built-in router, in-memory budgets and rate limits, no API keys, no Redis.`,
      },
      targets: TARGETS,
      runs,
      comparisons: compareToDirect(runs, TARGETS),
    };
    if (args.profile || args['profile-keyed']) {
      const file = existsSync(profileDir) ? readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
      if (!file) throw new Error(`--profile/--profile-keyed: no .cpuprofile written in ${profileDir}`);
      const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
      const keep = args.out.replace(/\.json$/, '') + (args['profile-keyed'] ? '-gateway-keyed.cpuprofile' : '-gateway.cpuprofile');
      mkdirSync(dirname(resolve(keep)), { recursive: true });
      writeFileSync(resolve(keep), JSON.stringify(profile));
      results.profile = summarizeCpuProfile(profile, keep);
    }

    const outPath = resolve(args.out);
    mkdirSync(dirname(outPath), { recursive: true });
    writeFileSync(outPath, `${JSON.stringify(results, null, 2)}\n`);
    publish(results, `wrote ${args.out}`);
  } finally {
    for (const p of processes.reverse()) await p.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (args['from-json']) {
  const results = JSON.parse(readFileSync(resolve(args['from-json']), 'utf8')) as OverheadResults;
  publish(results, `rendered ${args['from-json']}`);
} else {
  await main();
}
