import type { LatencySummary } from './latency-stats.ts';
import { isAigwTarget, type RunResult } from './overhead-results.ts';

const lat = (p50Ms: number, p99Ms: number): LatencySummary => ({ count: 100, meanMs: p50Ms, p50Ms, p90Ms: p50Ms, p99Ms, maxMs: p99Ms });

const CPU_MS_PER_REQUEST: Record<RunResult['target'], RunResult['cpuMsPerRequest']> = {
  direct: { sim: 0.2 },
  'gateway-named': { gateway: 0.4, sim: 0.2 },
  'gateway-auto': { gateway: 0.4, sim: 0.2 },
  'gateway-keyed': { gateway: 0.4, sim: 0.2 },
  portkey: { portkey: 0.9, sim: 0.2 },
  floor: { floor: 0.1, sim: 0.2 },
};

/** A measured run with round numbers, for the report's tests. */
export function run(target: RunResult['target'], connections: number, p50: number, p99: number, rps: number, stream = false): RunResult {
  return {
    target,
    model: target === 'gateway-auto' ? 'auto' : 'sim-mini',
    stream,
    connections,
    durationS: 10,
    ok: rps * 10,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    requestsPerS: rps,
    latency: lat(p50, p99),
    cpuMsPerRequest: CPU_MS_PER_REQUEST[target],
    otherCpuShare: 0.01,
    ...(isAigwTarget(target) ? { gatewayOverhead: lat(0.1, 0.3), rowsLogged: rps * 10, modelUsed: { 'sim-mini': rps * 10 } } : {}),
  };
}
