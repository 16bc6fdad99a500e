import type { SourceInfo } from './source-info.ts';
import type { LatencySummary } from './latency-stats.ts';

/**
 * `direct` calls the simulated upstream; the aigw targets, `portkey` and `floor` proxy to it.
 * `gateway-keyed` is a second aigw process with an API key, a daily budget and a rate limit kept in
 * Redis, asked for the named model. `floor` is the thinnest Node proxy (bench/lib/bare-proxy.mjs):
 * what no Node gateway on this machine can beat.
 */
export type Target = 'direct' | 'gateway-named' | 'gateway-auto' | 'gateway-keyed' | 'portkey' | 'floor';

/** The targets that go through aigw (and so have request rows and x-aigw-overhead-ms). */
export function isAigwTarget(target: Target): target is 'gateway-named' | 'gateway-auto' | 'gateway-keyed' {
  return target === 'gateway-named' || target === 'gateway-auto' || target === 'gateway-keyed';
}

/** One measured autocannon run (warm-up runs are not recorded). */
export interface RunResult {
  target: Target;
  /** The `model` field sent: the router's virtual model for gateway-auto, a fleet model otherwise. */
  model: string;
  stream: boolean;
  connections: number;
  durationS: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requestsPerS: number;
  /** Client-side response time (request written → response complete), every 2xx response. */
  latency: LatencySummary;
  /**
   * CPU time (user + system) per answered request, per process; absent where /proc is unavailable.
   * `gateway` is aigw's process (aigw runs), `portkey` the Portkey gateway's (Portkey runs), `floor`
   * the bare proxy's (floor runs).
   */
  cpuMsPerRequest: { gateway?: number; portkey?: number; floor?: number; sim?: number; loadGenerator?: number };
  /** Share of all cores busy with processes outside the benchmark during the run (0–1). */
  otherCpuShare?: number;
  /** aigw runs: the gateway's own `overhead_ms` from its request rows (= x-aigw-overhead-ms). */
  gatewayOverhead?: LatencySummary;
  /** aigw runs: request rows found in the store for this run, against `ok`. */
  rowsLogged?: number;
  /** aigw runs: which model answered, from the rows. */
  modelUsed?: Record<string, number>;
}

export interface Comparison {
  target: Exclude<Target, 'direct'>;
  stream: boolean;
  connections: number;
  addedP50Ms: number;
  addedP99Ms: number;
  addedMeanMs: number;
  directRequestsPerS: number;
  gatewayRequestsPerS: number;
  /** gateway / direct requests per second. */
  throughputRatio: number;
  gatewayOverheadP50Ms: number | undefined;
  gatewayOverheadP99Ms: number | undefined;
  meetsTarget: boolean;
}

export interface Targets {
  addedP50Ms: number;
  addedP99Ms: number;
}

export interface OverheadResults {
  benchmark: 'gateway-overhead';
  command: string;
  generatedAt: string;
  /** The gateway code measured: git commit and whether src/ had uncommitted changes. */
  source?: SourceInfo;
  machine: {
    cpus: number;
    cpuModel: string;
    totalMemoryMb: number;
    node: string;
    platform: string;
    arch: string;
    loadAverage1mAtStart: number;
    loadAverage1mAtEnd: number;
  };
  config: {
    durationS: number;
    streamDurationS: number;
    warmupS: number;
    /** Measured time per target is split into this many slices, visiting the targets in turn. */
    rounds: number;
    connections: number[];
    simTimeScale: number;
    requestBody: Record<string, unknown>;
    namedModel: string;
    topology: string;
    gatewayConfig: string;
    /** The Portkey gateway measured beside aigw; absent in runs without it (--no-portkey, older results). */
    portkey?: PortkeyInfo;
    /** Streamed runs use these concurrencies (older results: the same as `connections`). */
    streamConnections?: number[];
    /** How the keyed gateway (gateway-keyed) was set up; absent without it (--no-keyed, older results). */
    keyedConfig?: string;
    /** How the floor (bare proxy) was set up; absent without it (--no-floor, older results). */
    floorConfig?: string;
  };
  targets: Targets;
  runs: RunResult[];
  comparisons: Comparison[];
  /** Present when the gateway ran under --cpu-prof: the functions with the most self time. */
  profile?: ProfileSummary;
}

export interface PortkeyInfo {
  package: string;
  version: string;
  /** How it was started, e.g. `node node_modules/@portkey-ai/gateway/build/start-server.js --port=N --headless`. */
  command: string;
  /** The headers sent with every Portkey request (the body is the same as for the other targets). */
  headers: Record<string, string>;
}

export interface ProfileEntry {
  functionName: string;
  location: string;
  selfMs: number;
  selfShare: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  top: ProfileEntry[];
  /** Self time grouped by package or source folder (node_modules/fastify, src/router, node:internal, …). */
  byArea: { area: string; selfMs: number; selfShare: number }[];
}

/** Each proxied run (aigw, Portkey or the floor) against the direct run with the same mode and concurrency. */
export function compareToDirect(runs: readonly RunResult[], targets: Targets): Comparison[] {
  const out: Comparison[] = [];
  for (const gw of runs) {
    if (gw.target === 'direct') continue;
    const direct = runs.find((r) => r.target === 'direct' && r.stream === gw.stream && r.connections === gw.connections);
    if (!direct) continue;
    const addedP50Ms = gw.latency.p50Ms - direct.latency.p50Ms;
    const addedP99Ms = gw.latency.p99Ms - direct.latency.p99Ms;
    out.push({
      target: gw.target,
      stream: gw.stream,
      connections: gw.connections,
      addedP50Ms,
      addedP99Ms,
      addedMeanMs: gw.latency.meanMs - direct.latency.meanMs,
      directRequestsPerS: direct.requestsPerS,
      gatewayRequestsPerS: gw.requestsPerS,
      throughputRatio: gw.requestsPerS / direct.requestsPerS,
      gatewayOverheadP50Ms: gw.gatewayOverhead?.p50Ms,
      gatewayOverheadP99Ms: gw.gatewayOverhead?.p99Ms,
      meetsTarget: addedP50Ms <= targets.addedP50Ms && addedP99Ms <= targets.addedP99Ms,
    });
  }
  return out;
}
