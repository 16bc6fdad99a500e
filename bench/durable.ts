/**
 * `npm run bench:durable` — what `resilience.durable_writes` costs: the same load against `aigw
 * serve` (default SQLite store) with the option off and on, interleaved --rounds times, the
 * simulated upstream answering at once. Reports client-side latency p50/p99 and throughput of each
 * into bench/results/durable.json (docs/operations.md quotes it).
 *
 * Flags: --duration S per round (5), --rounds N (3), --connections N (10), --out FILE.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { DEFAULT_FLEET, fleetCatalog } from '../src/sim/fleet.ts';
import { startGatewayProcess, startSimProcess } from './lib/child-processes.ts';
import { summarizeLatencies } from './lib/latency-stats.ts';
import { runLoad } from './lib/run-load.ts';
import { gitSourceInfo } from './lib/source-info.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench/results/durable.json' },
  },
});
const BODY = JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'What is the capital of France? One word.' }], max_tokens: 16 });

async function main(): Promise<void> {
  const sim = await startSimProcess(0);
  const catalog = fleetCatalog(DEFAULT_FLEET, sim.url);
  const latencies: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const okPerS: Record<'off' | 'on', number[]> = { off: [], on: [] };
  try {
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const mode of ['off', 'on'] as const) {
        const dir = mkdtempSync(join(tmpdir(), `aigw-durable-${mode}-`));
        const configPath = join(dir, 'aigw.yaml');
        writeFileSync(configPath, stringify({ providers: catalog.providers, models: catalog.models, resilience: { durable_writes: mode === 'on' } }));
        const gateway = await startGatewayProcess({ cwd: dir, configPath });
        try {
          await runLoad({ url: `${gateway.url}/v1/chat/completions`, body: BODY, connections: Number(args.connections), durationS: 1 });
          const load = await runLoad({
            url: `${gateway.url}/v1/chat/completions`,
            body: BODY,
            connections: Number(args.connections),
            durationS: Number(args.duration),
          });
          latencies[mode].push(...load.latenciesMs);
          okPerS[mode].push(load.requestsPerS);
        } finally {
          await gateway.stop();
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await sim.stop();
  }
  const summary = (mode: 'off' | 'on') => {
    const s = summarizeLatencies(latencies[mode]);
    const rps = okPerS[mode].reduce((a, b) => a + b, 0) / okPerS[mode].length;
    return { requests: s.count, p50Ms: Number(s.p50Ms.toFixed(2)), p99Ms: Number(s.p99Ms.toFixed(2)), requestsPerS: Math.round(rps) };
  };
  const off = summary('off');
  const on = summary('on');
  const results = {
    benchmark: 'durable',
    date: new Date().toISOString(),
    source: gitSourceInfo(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    load: { connections: Number(args.connections), durationS: Number(args.duration), rounds: Number(args.rounds), store: 'sqlite (default)' },
    off,
    on,
    addedP50Ms: Number((on.p50Ms - off.p50Ms).toFixed(2)),
    addedP99Ms: Number((on.p99Ms - off.p99Ms).toFixed(2)),
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
}

await main();
