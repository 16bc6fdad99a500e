import { addCpuDeltas, cpuDelta, cpuPerRequest, snapshotCpu, type CpuDelta } from './cpu-usage.ts';
import { summarizeLatencies } from './latency-stats.ts';
import type { RunResult, Target } from './overhead-results.ts';
import { mergeLoadResults, runLoad, type LoadResult } from './run-load.ts';

export interface PlannedTarget {
  target: Target;
  baseUrl: string;
  model: string;
  body: string;
  /** Extra request headers for this target only. */
  headers?: Record<string, string>;
  /** Which proxy is on this target's path (its CPU per request is reported under that name); none for direct. */
  proxy?: 'gateway' | 'portkey' | 'floor';
  /** The key in `pids` of that proxy's process, when not `proxy` itself (the keyed gateway is its own process). */
  pidName?: string;
}

export interface GroupOptions {
  targets: PlannedTarget[];
  stream: boolean;
  connections: number;
  warmupS: number;
  /** Measured seconds per target, split into `rounds` slices. */
  durationS: number;
  rounds: number;
  pauseMs: number;
  /** Processes whose CPU time is counted (gateway, portkey, floor, sim, loadGenerator). */
  pids: Record<string, number>;
  ticksPerS: number;
}

export interface MeasuredRun {
  run: Omit<RunResult, 'latency'>;
  load: LoadResult;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Measures every target at one mode and concurrency: a warm-up each (discarded), then `rounds`
 * rounds that visit the targets in turn, so a burst of other work on the machine lands on all
 * targets alike instead of on whichever happened to be running.
 */
export async function measureGroup(o: GroupOptions): Promise<MeasuredRun[]> {
  const runSlice = (t: PlannedTarget, durationS: number) =>
    runLoad({ url: `${t.baseUrl}/v1/chat/completions`, body: t.body, headers: t.headers, connections: o.connections, durationS });
  if (o.warmupS > 0) {
    for (const t of o.targets) await runSlice(t, o.warmupS);
  }
  const parts = o.targets.map(() => [] as LoadResult[]);
  const cpu: (CpuDelta | undefined)[] = o.targets.map(() => undefined);
  const sliceS = o.durationS / o.rounds;
  for (let round = 0; round < o.rounds; round++) {
    for (const [i, t] of o.targets.entries()) {
      // Lets the gateway's batched log flush of the previous slice land between slices.
      await sleep(o.pauseMs);
      const before = snapshotCpu(o.pids);
      parts[i]!.push(await runSlice(t, sliceS));
      const delta = cpuDelta(before, snapshotCpu(o.pids));
      cpu[i] = cpu[i] ? addCpuDeltas(cpu[i], delta) : delta;
    }
  }
  return o.targets.map((t, i) => {
    const load = mergeLoadResults(parts[i]!);
    const perRequest = cpuPerRequest(cpu[i]!, load.ok, o.ticksPerS);
    const lat = summarizeLatencies(load.latenciesMs);
    console.error(
      `${t.target.padEnd(13)} ${o.stream ? 'stream' : 'json  '} c=${String(o.connections).padEnd(2)} ${load.requestsPerS.toFixed(0).padStart(6)} req/s` +
        `  p50 ${lat.p50Ms.toFixed(3)} ms  p99 ${lat.p99Ms.toFixed(3)} ms  failed ${load.non2xx + load.errors + load.timeouts}` +
        `  other load ${perRequest.otherShare === undefined ? '?' : `${(perRequest.otherShare * 100).toFixed(0)}%`}`,
    );
    const run: Omit<RunResult, 'latency'> = {
      target: t.target,
      model: t.model,
      stream: o.stream,
      connections: o.connections,
      durationS: load.elapsedS,
      ok: load.ok,
      non2xx: load.non2xx,
      errors: load.errors,
      timeouts: load.timeouts,
      requestsPerS: load.requestsPerS,
      cpuMsPerRequest: {
        ...(t.proxy ? { [t.proxy]: perRequest.msPerRequest[t.pidName ?? t.proxy] } : {}),
        sim: perRequest.msPerRequest.sim,
        loadGenerator: perRequest.msPerRequest.loadGenerator,
      },
      ...(perRequest.otherShare === undefined ? {} : { otherCpuShare: perRequest.otherShare }),
    };
    return { run, load };
  });
}
