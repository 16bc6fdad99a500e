/**
 * `npm run bench:soak` — memory under a long, bounded load: `aigw serve` (default SQLite store,
 * writing every row) behind the simulated upstream, both in their own processes on loopback, at a
 * fixed request rate for --duration-s (600) seconds. The gateway's RSS is read from /proc every
 * --sample-s (30) seconds; a least-squares line through the samples after --warmup-s (120) gives
 * the slope and the growth from minute 2 to the end. Target: < 5% growth. The V8 heap in use (from
 * `/metrics`) is sampled beside it: RSS also moves with the allocator and V8's heap sizing, so a
 * heap slope near zero while RSS grows points there rather than at a leak. The anonymous memory is
 * split (from /proc/PID/smaps) into the main thread's malloc heap, the malloc arenas of the other
 * threads (the SQLite write thread's page cache) and the rest (V8 heaps of all isolates, code,
 * stacks), each with its own fitted growth.
 *
 * Flags: --rate N requests/s (40), --max-in-flight N (16), --out FILE (bench/results/soak.json),
 * --docs FILE (docs/performance.md), --no-docs, --heap-snapshots (a V8 heap snapshot at the end of
 * warm-up and at the end, and the object groups that grew between them into the results; taking a
 * snapshot costs the gateway hundreds of MB of native memory it keeps, so RSS after it says nothing),
 * --node-flags=… (node flags for the gateway process, e.g. to compare V8 heap settings).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { DEFAULT_FLEET, fleetCatalog } from '../src/sim/fleet.ts';
import { startGatewayProcess, startSimProcess } from './lib/child-processes.ts';
import { upsertGeneratedBlock } from './lib/markdown-block.ts';
import { heapGrowth, summarizeHeapSnapshot, type HeapSnapshotJson } from './lib/heap-snapshot-summary.ts';
import { anonBreakdown } from './lib/smaps-breakdown.ts';
import { growthAfter, type MemorySample } from './lib/soak-stats.ts';
import { gitSourceInfo } from './lib/source-info.ts';

const { values: args } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '600' },
    'sample-s': { type: 'string', default: '30' },
    'warmup-s': { type: 'string', default: '120' },
    rate: { type: 'string', default: '40' },
    'max-in-flight': { type: 'string', default: '16' },
    out: { type: 'string', default: 'bench/results/soak.json' },
    docs: { type: 'string', default: 'docs/performance.md' },
    'no-docs': { type: 'boolean', default: false },
    'heap-snapshots': { type: 'boolean', default: false },
    'node-flags': { type: 'string', default: '' },
  },
});

const durationS = Number(args['duration-s']);
const sampleS = Number(args['sample-s']);
const warmupS = Number(args['warmup-s']);
const ratePerS = Number(args.rate);
const maxInFlight = Number(args['max-in-flight']);
const TARGET_GROWTH_PCT = 5;
/** Simulated delays at 2% of the fleet's: answers take milliseconds, so the load stays CPU-light. */
const SIM_TIME_SCALE = 0.02;

/** The gateway's resident memory from /proc: in all, and its anonymous (heaps), file-backed and shared parts. */
function residentBytes(pid: number): { rss: number; anon: number; file: number; shmem: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    if (!match) throw new Error(`no ${field} for pid ${pid}`);
    return Number(match[1]) * 1024;
  };
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
}

/**
 * The V8 heap from the gateway's `/metrics` (prom-client's default metrics): in use, reserved in all,
 * reserved for the young generation, and memory outside the heap held by JavaScript objects (buffers).
 * RSS follows the reserved sizes, which V8 grows and shrinks on its own, not only the bytes in use.
 */
async function heapBytes(url: string): Promise<{ used: number; total: number; young: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const metric = (name: string) => {
    const match = new RegExp(`^aigw_process_nodejs_${name} (\\S+)$`, 'm').exec(text);
    if (!match) throw new Error(`no aigw_process_nodejs_${name} in /metrics`);
    return Number(match[1]);
  };
  return {
    used: metric('heap_size_used_bytes'),
    total: metric('heap_size_total_bytes'),
    young: metric('heap_space_size_total_bytes\\{space="new"\\}'),
    external: metric('external_memory_bytes'),
  };
}

/**
 * Asks the gateway (started with `--heapsnapshot-signal=SIGUSR2`) for a heap snapshot and moves it
 * to `toPath`. V8 writes it on the main thread, so once `/health` answers again the file is complete.
 */
async function takeHeapSnapshot(gateway: { pid: number; url: string }, cwd: string, toPath: string): Promise<void> {
  process.kill(gateway.pid, 'SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const file = readdirSync(cwd).find((f) => f.endsWith('.heapsnapshot'));
    if (!file) continue;
    const answered = await fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(5000) }).then(
      async (res) => (await res.arrayBuffer(), true),
      () => false,
    );
    if (!answered) continue;
    renameSync(join(cwd, file), toPath);
    return;
  }
}

function heapSnapshotDiff(beforePath: string, afterPath: string) {
  const before = summarizeHeapSnapshot(JSON.parse(readFileSync(beforePath, 'utf8')) as HeapSnapshotJson);
  const after = summarizeHeapSnapshot(JSON.parse(readFileSync(afterPath, 'utf8')) as HeapSnapshotJson);
  const mb = (bytes: number) => Number((bytes / 1_048_576).toFixed(2));
  return {
    retainedMb: [mb(before.totalBytes), mb(after.totalBytes)],
    topGrowth: heapGrowth(before.groups, after.groups, 15).map((g) => ({ ...g, addedBytes: undefined, addedKb: Math.round(g.addedBytes / 1024) })),
  };
}

/** Request i of the mix: routed, streamed and direct calls, with prompts that do not repeat. */
function requestBody(i: number): string {
  const kind = i % 5;
  const topics = ['lighthouses', 'tax forms', 'a sorting function', 'the French revolution', 'a haiku about rain'];
  const content = `Request ${i}: write two sentences about ${topics[i % topics.length]}.`;
  if (kind === 3)
    return JSON.stringify({ model: 'sim-nano', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }], max_tokens: 40 });
  if (kind === 4) return JSON.stringify({ model: 'sim-mini', messages: [{ role: 'user', content }], max_tokens: 40 });
  return JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }], max_tokens: 40 });
}

interface Counts {
  ok: number;
  non2xx: number;
  errors: number;
}

/** Sends requests at `ratePerS` (never more than `maxInFlight` at once) until `stopAtMs`. */
async function boundedLoad(url: string, stopAtMs: number, counts: Counts): Promise<void> {
  const intervalMs = 1000 / ratePerS;
  let inFlight = 0;
  let i = 0;
  const pending = new Set<Promise<void>>();
  let nextAtMs = Date.now();
  while (Date.now() < stopAtMs) {
    if (inFlight < maxInFlight) {
      inFlight += 1;
      const p = fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody(i++) })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status === 200) counts.ok += 1;
          else counts.non2xx += 1;
        })
        .catch(() => {
          counts.errors += 1;
        })
        .finally(() => {
          inFlight -= 1;
          pending.delete(p);
        });
      pending.add(p);
    }
    nextAtMs += intervalMs;
    await new Promise((r) => setTimeout(r, Math.max(0, nextAtMs - Date.now())));
  }
  await Promise.all(pending);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-soak-'));
  const sim = await startSimProcess(SIM_TIME_SCALE);
  const catalog = fleetCatalog(DEFAULT_FLEET, sim.url);
  const configPath = join(dir, 'aigw.yaml');
  writeFileSync(configPath, stringify({ providers: catalog.providers, models: catalog.models }));
  const nodeFlags = [...args['node-flags'].split(' ').filter(Boolean), ...(args['heap-snapshots'] ? ['--heapsnapshot-signal=SIGUSR2'] : [])];
  const gateway = await startGatewayProcess({ cwd: dir, configPath, nodeFlags });
  const counts: Counts = { ok: 0, non2xx: 0, errors: 0 };
  const samples: Array<
    MemorySample & {
      rssMb: number;
      rssAnonMb: number;
      rssFileMb: number;
      rssShmemMb: number;
      heapUsedMb: number;
      heapTotalMb: number;
      youngGenerationMb: number;
      externalMb: number;
      mainMallocMb: number;
      threadArenasMb: number;
      threadArenaHeaps: number;
      otherAnonMb: number;
      ok: number;
    }
  > = [];
  const startedAtMs = Date.now();
  const loadAverage1mAtStart = Number((loadavg()[0] ?? 0).toFixed(2));
  const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
  const sample = async () => {
    const resident = residentBytes(gateway.pid);
    const heap = await heapBytes(gateway.url);
    const anon = anonBreakdown(readFileSync(`/proc/${gateway.pid}/smaps`, 'utf8'));
    const atS = Math.round((Date.now() - startedAtMs) / 1000);
    samples.push({
      atS,
      rssBytes: resident.rss,
      heapUsedBytes: heap.used,
      rssMb: mb(resident.rss),
      rssAnonMb: mb(resident.anon),
      rssFileMb: mb(resident.file),
      rssShmemMb: mb(resident.shmem),
      heapUsedMb: mb(heap.used),
      heapTotalMb: mb(heap.total),
      youngGenerationMb: mb(heap.young),
      externalMb: mb(heap.external),
      mainMallocMb: mb(anon.mainMallocBytes),
      threadArenasMb: mb(anon.threadArenaBytes),
      threadArenaHeaps: anon.threadArenaHeaps,
      otherAnonMb: mb(anon.otherAnonBytes),
      ok: counts.ok,
    });
    console.error(
      `${atS}s rss ${mb(resident.rss)} MB (anon ${mb(resident.anon)}, file ${mb(resident.file)}, shmem ${mb(resident.shmem)}), heap used ${mb(heap.used)} of ${mb(heap.total)} MB (young ${mb(heap.young)}), external ${mb(heap.external)} MB, ` +
        `anon: main malloc ${mb(anon.mainMallocBytes)}, ${anon.threadArenaHeaps} thread arenas ${mb(anon.threadArenaBytes)}, other ${mb(anon.otherAnonBytes)} MB, ` +
        `${counts.ok} ok, ${counts.non2xx} non-2xx, ${counts.errors} errors`,
    );
  };
  const snapshotPaths = [join(tmpdir(), `aigw-soak-${gateway.pid}-warm.heapsnapshot`), join(tmpdir(), `aigw-soak-${gateway.pid}-end.heapsnapshot`)] as const;
  await sample();
  const sampler = setInterval(() => void sample(), sampleS * 1000);
  const warmSnapshot = args['heap-snapshots'] ? setTimeout(() => void takeHeapSnapshot(gateway, dir, snapshotPaths[0]), warmupS * 1000) : undefined;
  let heapSnapshots: (ReturnType<typeof heapSnapshotDiff> & { atS: number[] }) | undefined;
  try {
    await boundedLoad(gateway.url, startedAtMs + durationS * 1000, counts);
    clearInterval(sampler);
    await sample();
    if (args['heap-snapshots']) {
      await takeHeapSnapshot(gateway, dir, snapshotPaths[1]);
      heapSnapshots = { atS: [warmupS, durationS], ...heapSnapshotDiff(...snapshotPaths) };
    }
  } finally {
    clearInterval(sampler);
    clearTimeout(warmSnapshot);
    await gateway.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const growth = growthAfter(samples, warmupS, (s) => s.rssBytes);
  const heap = growthAfter(samples, warmupS, (s) => s.heapUsedBytes);
  const anonPart = (part: 'mainMallocMb' | 'threadArenasMb' | 'otherAnonMb') => growthAfter(samples, warmupS, (s) => s[part] * 1_048_576);
  const fitted = (g: typeof growth) => ({
    slopeMbPerMin: Number(g.slopeMbPerMin.toFixed(3)),
    fittedStartMb: Number((g.fittedStartBytes / 1_048_576).toFixed(1)),
    fittedEndMb: Number((g.fittedEndBytes / 1_048_576).toFixed(1)),
    growthPct: Number(g.growthPct.toFixed(2)),
  });
  const results = {
    benchmark: 'soak',
    date: new Date(startedAtMs).toISOString(),
    source: gitSourceInfo(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverage1mAtStart,
      loadAverage1mAtEnd: Number((loadavg()[0] ?? 0).toFixed(2)),
    },
    load: { durationS, ratePerS, maxInFlight, simTimeScale: SIM_TIME_SCALE, mix: '60% auto, 20% sim-nano streamed, 20% sim-mini' },
    requests: counts,
    samples: samples.map(({ rssBytes: _rss, heapUsedBytes: _heap, ...shown }) => shown),
    afterWarmup: { fromS: warmupS, ...fitted(growth) },
    heapUsedAfterWarmup: fitted(heap),
    anonAfterWarmup: {
      mainMalloc: fitted(anonPart('mainMallocMb')),
      threadArenas: fitted(anonPart('threadArenasMb')),
      other: fitted(anonPart('otherAnonMb')),
    },
    ...(heapSnapshots ? { heapSnapshots } : {}),
    target: { maxGrowthPct: TARGET_GROWTH_PCT, met: growth.growthPct < TARGET_GROWTH_PCT },
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results.afterWarmup), results.target);
  if (!args['no-docs']) {
    const docs = readFileSync(args.docs, 'utf8');
    const w = results.afterWarmup;
    const h = results.heapUsedAfterWarmup;
    const m = results.machine;
    const fromMin = Number((w.fromS / 60).toFixed(2));
    const content = [
      `Run ${results.date.slice(0, 16)}Z on ${m.cpus} × ${m.model}, Node ${m.node}, load average ${m.loadAverage1mAtStart} at the start and ${m.loadAverage1mAtEnd} at the end, commit ${results.source?.commit ?? 'unknown'}: ` +
        `${durationS / 60} min at ${ratePerS} requests/s (≤ ${maxInFlight} in flight; ${results.load.mix}), ${counts.ok} answered, ${counts.non2xx} non-2xx, ${counts.errors} errors.`,
      '',
      '| from | measure | at start of fit | at end of fit | slope | growth | target |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      `| ${fromMin} min | RSS | ${w.fittedStartMb} MB | ${w.fittedEndMb} MB | ${w.slopeMbPerMin} MB/min | ${w.growthPct}% | < ${TARGET_GROWTH_PCT}% ${results.target.met ? '(met)' : '(NOT met)'} |`,
      `| ${fromMin} min | V8 heap used | ${h.fittedStartMb} MB | ${h.fittedEndMb} MB | ${h.slopeMbPerMin} MB/min | ${h.growthPct}% | |`,
      ...(
        [
          ['anonymous: main-thread malloc', results.anonAfterWarmup.mainMalloc],
          ["anonymous: other threads' malloc arenas", results.anonAfterWarmup.threadArenas],
          ['anonymous: the rest (V8 heaps, code, stacks)', results.anonAfterWarmup.other],
        ] as const
      ).map(([what, g]) => `| ${fromMin} min | ${what} | ${g.fittedStartMb} MB | ${g.fittedEndMb} MB | ${g.slopeMbPerMin} MB/min | ${g.growthPct}% | |`),
      '',
      `RSS every ${sampleS} s (MB): ${samples.map((s) => s.rssMb).join(', ')}.`,
      '',
      `Heap used every ${sampleS} s (MB): ${samples.map((s) => s.heapUsedMb).join(', ')}.`,
      '',
      `Other threads' malloc arenas every ${sampleS} s (MB): ${samples.map((s) => s.threadArenasMb).join(', ')}. Source: \`npm run bench:soak\` → \`${args.out}\`.`,
    ].join('\n');
    writeFileSync(args.docs, upsertGeneratedBlock(docs, { id: 'bench:soak', heading: '## Memory under a 10-minute soak', content }));
  }
}

await main();
