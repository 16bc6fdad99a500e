import type { OverheadResults, RunResult, Target } from './overhead-results.ts';

/** Issue 19's figures, each from one run's tables: what was measured, the target, and whether it is met. */
export interface TargetFigure {
  figure: string;
  value: string;
  target: string;
  met: boolean | undefined;
}

/** Issue 19's throughput targets, as multiples of Portkey's req/s (streamed: the named model only). */
export const PORTKEY_MULTIPLE_TARGETS = { json: { named: 5, auto: 4.5 }, stream: { named: 5 } } as const;

function run(results: OverheadResults, target: Target, stream: boolean, connections: number): RunResult | undefined {
  return results.runs.find((r) => r.target === target && r.stream === stream && r.connections === connections);
}

function ratio(a: RunResult | undefined, b: RunResult | undefined): number | undefined {
  return a && b && b.requestsPerS > 0 ? a.requestsPerS / b.requestsPerS : undefined;
}

function addedP99(results: OverheadResults, target: Target, connections: number): number | undefined {
  const gw = run(results, target, false, connections);
  const direct = run(results, 'direct', false, connections);
  return gw && direct ? gw.latency.p99Ms - direct.latency.p99Ms : undefined;
}

const times = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
const atLeast = (v: number | undefined, min: number) => (v === undefined ? undefined : v >= min);
const atMost = (v: number | undefined, max: number) => (v === undefined ? undefined : v <= max);

/** CPU per request of the target's proxy process, JSON, 10 connections. */
function cpuFigure(results: OverheadResults, target: Target, label: string, max: number): TargetFigure {
  const cpu = run(results, target, false, 10)?.cpuMsPerRequest;
  const v = target === 'floor' ? cpu?.floor : cpu?.gateway;
  return { figure: `${label}, JSON, 10 connections`, value: v === undefined ? '–' : `${v.toFixed(3)} ms`, target: `≤ ${max} ms`, met: atMost(v, max) };
}

function p99Figure(results: OverheadResults, target: Target, label: string, max: number): TargetFigure {
  const v = addedP99(results, target, 1);
  return {
    figure: `added p99, ${label}, JSON, 1 connection`,
    value: v === undefined ? '–' : `+${v.toFixed(3)} ms`,
    target: `≤ ${max} ms`,
    met: atMost(v, max),
  };
}

/** One figure per concurrency for a ratio of two targets' req/s (json unless `stream`). */
function ratioFigures(results: OverheadResults, label: string, a: Target, b: Target, min: number, connections: number[], stream = false): TargetFigure[] {
  return connections.map((c) => {
    const v = ratio(run(results, a, stream, c), run(results, b, stream, c));
    return { figure: `${label}, ${c} connection${c === 1 ? '' : 's'}`, value: times(v), target: `≥ ${min}×`, met: atLeast(v, min) };
  });
}

/** The figures of issue 19's target table that this run measured (Portkey, keyed and floor ones only when they ran). */
export function issueTargetFigures(results: OverheadResults): TargetFigure[] {
  const json = results.config.connections;
  const streamed = results.config.streamConnections ?? results.config.connections;
  const has = (t: Target) => results.runs.some((r) => r.target === t);
  const figures: TargetFigure[] = [];
  if (has('portkey')) {
    figures.push(...ratioFigures(results, 'named model, JSON: req/s vs Portkey', 'gateway-named', 'portkey', PORTKEY_MULTIPLE_TARGETS.json.named, json));
    figures.push(...ratioFigures(results, '`auto`, JSON: req/s vs Portkey', 'gateway-auto', 'portkey', PORTKEY_MULTIPLE_TARGETS.json.auto, json));
  }
  figures.push(...ratioFigures(results, '`auto`, JSON: req/s vs named model', 'gateway-auto', 'gateway-named', 0.9, json));
  figures.push(
    cpuFigure(results, 'gateway-named', 'gateway CPU per request, named', 0.25),
    cpuFigure(results, 'gateway-auto', 'gateway CPU per request, `auto`', 0.35),
  );
  figures.push(p99Figure(results, 'gateway-named', 'named', 1), p99Figure(results, 'gateway-auto', '`auto`', 1.5));
  if (has('portkey') && results.runs.some((r) => r.stream)) {
    figures.push(
      ...ratioFigures(results, 'named model, streamed: req/s vs Portkey', 'gateway-named', 'portkey', PORTKEY_MULTIPLE_TARGETS.stream.named, streamed, true),
    );
  }
  if (has('gateway-keyed'))
    figures.push(...ratioFigures(results, 'key + budgets + rate limit (Redis) vs keyless, named, JSON', 'gateway-keyed', 'gateway-named', 0.8, [10]));
  if (has('floor')) figures.push(...floorFigures(results, json, has('portkey')));
  return figures;
}

/**
 * The same targets held to the floor (a bare Node proxy): where the floor misses one, no Node gateway
 * on this machine meets it.
 */
function floorFigures(results: OverheadResults, json: number[], withPortkey: boolean): TargetFigure[] {
  const named = PORTKEY_MULTIPLE_TARGETS.json.named;
  const figures = withPortkey ? ratioFigures(results, 'floor (bare Node proxy), JSON: req/s vs Portkey', 'floor', 'portkey', named, json) : [];
  figures.push(cpuFigure(results, 'floor', 'floor CPU per request', 0.25), p99Figure(results, 'floor', 'floor', 1));
  return figures;
}

export function issueTargetsTable(results: OverheadResults): string[] {
  const figures = issueTargetFigures(results);
  return [
    '| figure | measured | target | met |',
    '| --- | ---: | ---: | --- |',
    ...figures.map((f) => `| ${f.figure} | ${f.value} | ${f.target} | ${f.met === undefined ? '–' : f.met ? 'yes' : 'no'} |`),
  ];
}
