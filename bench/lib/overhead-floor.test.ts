import { describe, expect, it } from 'vitest';
import { floorRows, floorSummary, floorTable } from './overhead-floor.ts';
import type { OverheadResults, RunResult } from './overhead-results.ts';
import { run } from './overhead-results.test-support.ts';

function results(runs: RunResult[]): OverheadResults {
  return { runs, config: { connections: [1, 10] } } as unknown as OverheadResults;
}

const RUNS = [
  run('direct', 1, 0.1, 0.3, 8000),
  run('gateway-named', 1, 0.4, 3.3, 2000),
  run('gateway-auto', 1, 0.6, 4.3, 1000),
  run('portkey', 1, 1.3, 11, 500),
  run('floor', 1, 0.2, 0.8, 4000),
  run('direct', 10, 0.6, 4, 12000),
  run('gateway-named', 10, 2, 8, 3000),
  run('portkey', 10, 9, 30, 1000),
  run('floor', 10, 1, 5, 4000),
  run('direct', 1, 0.1, 0.4, 6000, true),
  run('floor', 1, 0.3, 1.4, 2000, true),
  run('portkey', 1, 30, 40, 40, true),
];

describe('floorRows', () => {
  it('sets the floor against Portkey and aigw against the floor, per mode and concurrency', () => {
    const [one, ten, stream] = floorRows(results(RUNS));
    expect(one).toMatchObject({ stream: false, connections: 1, floorRequestsPerS: 4000, floorVsPortkey: 8, namedVsFloor: 0.5, autoVsFloor: 0.25 });
    // 5× Portkey (2500 req/s) is 0.625 of the floor's 4000; 4.5× (2250) is 0.5625.
    expect(one!.namedNeeded).toBeCloseTo(0.625, 12);
    expect(one!.autoNeeded).toBeCloseTo(0.5625, 12);
    expect(one!.floorAddedP50Ms).toBeCloseTo(0.1, 12);
    expect(one!.floorAddedP99Ms).toBeCloseTo(0.5, 12);
    expect(one!.cpuMsPerRequest).toEqual({ floor: 0.1, named: 0.4, auto: 0.4 });
    // At 10 connections the floor is only 4× Portkey: the 5× target is above it.
    expect(ten).toMatchObject({ floorVsPortkey: 4, namedVsFloor: 0.75, autoVsFloor: undefined });
    expect(ten!.namedNeeded).toBeCloseTo(1.25, 12);
    // Streamed: only the named model has a target against Portkey.
    expect(stream).toMatchObject({ stream: true, floorVsPortkey: 50, autoNeeded: undefined });
    expect(stream!.namedNeeded).toBeCloseTo(0.1, 12);
  });

  it("gives aigw's CPU budget for the multiple of Portkey: Portkey's total CPU per request / multiple − what aigw's requests cost the others", () => {
    const cpu = (r: RunResult, c: RunResult['cpuMsPerRequest']): RunResult => ({ ...r, cpuMsPerRequest: c });
    const withCpu = RUNS.map((r) =>
      r.target === 'portkey' && !r.stream
        ? cpu(r, { portkey: 1.0, sim: 0.15, loadGenerator: 0.1 })
        : r.target === 'gateway-named' || r.target === 'gateway-auto'
          ? cpu(r, { gateway: 0.3, sim: 0.1, loadGenerator: 0.05 })
          : r,
    );
    const [one, ten] = floorRows(results(withCpu));
    expect(one!.cpuBudgetMs.named).toBeCloseTo(1.25 / 5 - 0.15, 12);
    expect(one!.cpuBudgetMs.auto).toBeCloseTo(1.25 / 4.5 - 0.15, 12);
    expect(ten!.cpuBudgetMs).toEqual({ named: expect.closeTo(0.1, 12), auto: undefined });
    expect(floorTable(results(withCpu))[2]).toContain('| 0.100 | 0.300 | 0.300 | 0.100 | 0.128 |');
    expect(floorSummary(results(withCpu))).toContain('with the cores saturated, 5× Portkey leaves the named model 0.100 ms (*CPU budget*).');
  });

  it('is empty without floor runs and leaves Portkey figures out without Portkey', () => {
    expect(floorRows(results(RUNS.filter((r) => r.target !== 'floor')))).toEqual([]);
    const [one] = floorRows(results(RUNS.filter((r) => r.target !== 'portkey')));
    expect(one).toMatchObject({ floorVsPortkey: undefined, namedNeeded: undefined, namedVsFloor: 0.5 });
  });
});

describe('floorTable and floorSummary', () => {
  it('render one row per floor run and say when a target is above the floor', () => {
    const t = floorTable(results(RUNS));
    expect(t).toHaveLength(2 + 3);
    expect(t[0]).toContain('| named needs (≥ 5× Portkey) |');
    expect(t[2]).toBe('| json | 1 | 4000 | 8.00× | 0.50 | ≥ 0.63 | 0.25 | ≥ 0.56 | 0.100 | 0.400 | 0.400 | – | – | +0.100 | +0.500 |');
    expect(t[3]).toBe(
      '| json | 10 | 4000 | 4.00× | 0.75 | 1.25 (above the floor) | – | 1.13 (above the floor) | 0.100 | 0.400 | – | – | – | +0.400 | +1.000 |',
    );
    expect(floorTable(results(RUNS.filter((r) => r.target !== 'floor')))).toEqual([]);
  });

  it('states what the issue targets need of aigw against the floor (JSON only)', () => {
    expect(floorSummary(results(RUNS))).toBe(
      "Against Portkey's requests per second, a bare Node proxy (the floor) serves 8.00× at 1 connection and 4.00× at 10. The ≥ 5× target needs aigw's named model at 0.63 at 1 connection and 1.25 at 10 of the floor's throughput (it has 0.50 at 1 connection and 0.75 at 10); the ≥ 4.5× target needs `auto` at 0.56 at 1 connection and 1.13 at 10 (it has 0.25 at 1 connection and – at 10). A share above 1 is out of reach for any Node proxy on this machine. At 1 connection the floor adds +0.100 ms at p50 and +0.500 ms at p99 (aigw's p99 target: ≤ 1 ms named, ≤ 1.5 ms `auto`). Its CPU per request at 10 connections is 0.100 ms (aigw's target: ≤ 0.25 ms named, ≤ 0.35 ms `auto`).",
    );
    expect(floorSummary(results(RUNS.filter((r) => r.target !== 'portkey')))).toMatch(/^At 1 connection the floor adds/);
    expect(floorSummary(results(RUNS.filter((r) => r.target !== 'floor')))).toBe('');
  });
});
