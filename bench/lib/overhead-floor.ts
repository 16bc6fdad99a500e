import type { OverheadResults, RunResult, Target } from './overhead-results.ts';
import { PORTKEY_MULTIPLE_TARGETS } from './overhead-targets.ts';

/**
 * The floor (bench/lib/bare-proxy.mjs, a bare Node proxy) beside Portkey and aigw, per mode and
 * concurrency: issue 19's throughput targets are multiples of Portkey, and the floor says how much
 * of what Node itself can do on this machine aigw would need to reach them.
 */
export interface FloorRow {
  stream: boolean;
  connections: number;
  floorRequestsPerS: number;
  floorVsPortkey: number | undefined;
  namedVsFloor: number | undefined;
  /** The share of the floor's req/s the named model needs for issue 19's multiple of Portkey (above 1: not reachable in Node here). */
  namedNeeded: number | undefined;
  autoVsFloor: number | undefined;
  autoNeeded: number | undefined;
  cpuMsPerRequest: { floor?: number; named?: number; auto?: number };
  /**
   * The CPU per request aigw may spend for the issue's multiple of Portkey when the cores are
   * saturated (10 and 50 connections), where req/s goes as 1 / (CPU per request of the load
   * generator + the upstream + the proxy): Portkey's total / multiple − what aigw's requests cost
   * the load generator and the upstream.
   */
  cpuBudgetMs: { named?: number; auto?: number };
  floorAddedP50Ms: number | undefined;
  floorAddedP99Ms: number | undefined;
}

function find(results: OverheadResults, target: Target, stream: boolean, connections: number): RunResult | undefined {
  return results.runs.find((r) => r.target === target && r.stream === stream && r.connections === connections);
}

function over(a: RunResult | undefined, b: RunResult | undefined): number | undefined {
  return a && b && b.requestsPerS > 0 ? a.requestsPerS / b.requestsPerS : undefined;
}

/** See `FloorRow.cpuBudgetMs`; undefined without CPU figures for both runs. */
function cpuBudget(portkey: RunResult | undefined, aigw: RunResult | undefined, multiple: number | undefined): number | undefined {
  const p = portkey?.cpuMsPerRequest;
  const a = aigw?.cpuMsPerRequest;
  if (multiple === undefined || p?.portkey === undefined || p.sim === undefined || p.loadGenerator === undefined) return undefined;
  if (a?.sim === undefined || a.loadGenerator === undefined) return undefined;
  return (p.portkey + p.sim + p.loadGenerator) / multiple - (a.sim + a.loadGenerator);
}

/** One row per mode and concurrency the floor ran at; empty without floor runs (--no-floor, older results). */
export function floorRows(results: OverheadResults): FloorRow[] {
  return results.runs
    .filter((r) => r.target === 'floor')
    .map((floor) => {
      const at = (t: Target) => find(results, t, floor.stream, floor.connections);
      const direct = at('direct');
      const [named, auto, portkey] = [at('gateway-named'), at('gateway-auto'), at('portkey')];
      const floorVsPortkey = over(floor, portkey);
      const multiples: { named: number; auto?: number } = floor.stream ? PORTKEY_MULTIPLE_TARGETS.stream : PORTKEY_MULTIPLE_TARGETS.json;
      const needed = (multiple: number | undefined) => (multiple === undefined || floorVsPortkey === undefined ? undefined : multiple / floorVsPortkey);
      return {
        stream: floor.stream,
        connections: floor.connections,
        floorRequestsPerS: floor.requestsPerS,
        floorVsPortkey,
        namedVsFloor: over(named, floor),
        namedNeeded: needed(multiples.named),
        autoVsFloor: over(auto, floor),
        autoNeeded: needed(multiples.auto),
        cpuMsPerRequest: { floor: floor.cpuMsPerRequest.floor, named: named?.cpuMsPerRequest.gateway, auto: auto?.cpuMsPerRequest.gateway },
        cpuBudgetMs: { named: cpuBudget(portkey, named, multiples.named), auto: cpuBudget(portkey, auto, multiples.auto) },
        floorAddedP50Ms: direct ? floor.latency.p50Ms - direct.latency.p50Ms : undefined,
        floorAddedP99Ms: direct ? floor.latency.p99Ms - direct.latency.p99Ms : undefined,
      };
    });
}

const fixed = (v: number | undefined, digits = 2) => (v === undefined ? '–' : v.toFixed(digits));
const times = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
const signed = (v: number | undefined) => (v === undefined ? '–' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);
/** A needed share of the floor; above 1 no Node proxy reaches the target here. */
const needed = (v: number | undefined) => (v === undefined ? '–' : v > 1 ? `${v.toFixed(2)} (above the floor)` : `≥ ${v.toFixed(2)}`);

export function floorTable(results: OverheadResults): string[] {
  const rows = floorRows(results);
  if (rows.length === 0) return [];
  const header = [
    'mode',
    'conns',
    'req/s floor',
    'floor vs Portkey',
    'named vs floor',
    `named needs (≥ ${PORTKEY_MULTIPLE_TARGETS.json.named}× Portkey)`,
    'auto vs floor',
    `auto needs (≥ ${PORTKEY_MULTIPLE_TARGETS.json.auto}× Portkey)`,
    'CPU ms/req floor',
    'CPU ms/req named',
    'CPU ms/req auto',
    `named CPU budget for ${PORTKEY_MULTIPLE_TARGETS.json.named}×`,
    `auto CPU budget for ${PORTKEY_MULTIPLE_TARGETS.json.auto}×`,
    'added p50 ms floor',
    'added p99 ms floor',
  ];
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map(
      (r) =>
        `| ${[
          r.stream ? 'stream' : 'json',
          String(r.connections),
          r.floorRequestsPerS.toFixed(0),
          times(r.floorVsPortkey),
          fixed(r.namedVsFloor),
          needed(r.namedNeeded),
          fixed(r.autoVsFloor),
          needed(r.autoNeeded),
          fixed(r.cpuMsPerRequest.floor, 3),
          fixed(r.cpuMsPerRequest.named, 3),
          fixed(r.cpuMsPerRequest.auto, 3),
          fixed(r.cpuBudgetMs.named, 3),
          fixed(r.cpuBudgetMs.auto, 3),
          signed(r.floorAddedP50Ms),
          signed(r.floorAddedP99Ms),
        ].join(' | ')} |`,
    ),
  ];
}

/** "a at 1 connection, b at 10 and c at 50". */
function perConnections(rows: FloorRow[], value: (r: FloorRow) => string): string {
  const parts = rows.map((r, i) => `${value(r)} at ${r.connections}${i === 0 ? ` connection${r.connections === 1 ? '' : 's'}` : ''}`);
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** What the floor means for issue 19's JSON targets, in one paragraph computed from the run. */
export function floorSummary(results: OverheadResults): string {
  const rows = floorRows(results).filter((r) => !r.stream);
  if (rows.length === 0) return '';
  const sentences: string[] = [];
  if (rows.some((r) => r.floorVsPortkey !== undefined)) {
    sentences.push(
      `Against Portkey's requests per second, a bare Node proxy (the floor) serves ${perConnections(rows, (r) => times(r.floorVsPortkey))}.`,
      `The ≥ ${PORTKEY_MULTIPLE_TARGETS.json.named}× target needs aigw's named model at ${perConnections(rows, (r) => fixed(r.namedNeeded))} of the floor's throughput (it has ${perConnections(rows, (r) => fixed(r.namedVsFloor))}); the ≥ ${PORTKEY_MULTIPLE_TARGETS.json.auto}× target needs \`auto\` at ${perConnections(rows, (r) => fixed(r.autoNeeded))} (it has ${perConnections(rows, (r) => fixed(r.autoVsFloor))}). A share above 1 is out of reach for any Node proxy on this machine.`,
    );
  }
  const one = rows.find((r) => r.connections === 1);
  if (one?.floorAddedP99Ms !== undefined) {
    sentences.push(
      `At 1 connection the floor adds ${signed(one.floorAddedP50Ms)} ms at p50 and ${signed(one.floorAddedP99Ms)} ms at p99 (aigw's p99 target: ≤ 1 ms named, ≤ 1.5 ms \`auto\`).`,
    );
  }
  const ten = rows.find((r) => r.connections === 10);
  if (ten?.cpuMsPerRequest.floor !== undefined) {
    const budget = ten.cpuBudgetMs.named;
    sentences.push(
      `Its CPU per request at 10 connections is ${ten.cpuMsPerRequest.floor.toFixed(3)} ms (aigw's target: ≤ 0.25 ms named, ≤ 0.35 ms \`auto\`)${budget === undefined ? '' : `; with the cores saturated, ${PORTKEY_MULTIPLE_TARGETS.json.named}× Portkey leaves the named model ${budget.toFixed(3)} ms (*CPU budget*)`}.`,
    );
  }
  return sentences.join(' ');
}
