import { describe, expect, it } from 'vitest';
import { keyFromCreateOutput } from './keyed-gateway.ts';
import type { OverheadResults, RunResult } from './overhead-results.ts';
import { run as fakeRun } from './overhead-results.test-support.ts';
import { issueTargetFigures, issueTargetsTable } from './overhead-targets.ts';

/** A run with the figures these tests vary: req/s, p99 and the proxy's CPU per request. */
function run(target: RunResult['target'], connections: number, rps: number, p99Ms: number, cpuMs: number, stream = false): RunResult {
  const r = fakeRun(target, connections, 1, p99Ms, rps, stream);
  return { ...r, cpuMsPerRequest: target === 'portkey' ? { portkey: cpuMs } : target === 'floor' ? { floor: cpuMs } : { gateway: cpuMs } };
}

function results(runs: RunResult[]): OverheadResults {
  return {
    runs,
    config: { connections: [1, 10], streamConnections: [1] },
  } as unknown as OverheadResults;
}

const RUNS = [
  run('direct', 1, 3000, 1, 0),
  run('gateway-named', 1, 2000, 1.5, 0.3),
  run('gateway-auto', 1, 1900, 3, 0.4),
  run('portkey', 1, 400, 9, 2),
  run('direct', 10, 6000, 5, 0),
  run('gateway-named', 10, 3000, 8, 0.24),
  run('gateway-auto', 10, 2500, 9, 0.36),
  run('gateway-keyed', 10, 2500, 9, 0.3),
  run('portkey', 10, 500, 30, 2),
  run('gateway-named', 1, 1000, 3, 1, true),
  run('portkey', 1, 100, 40, 5, true),
];

describe('issueTargetFigures', () => {
  it('computes each figure of issue 19 from the runs and says whether it is met', () => {
    const byName = Object.fromEntries(issueTargetFigures(results(RUNS)).map((f) => [f.figure, f]));
    expect(byName['named model, JSON: req/s vs Portkey, 1 connection']).toMatchObject({ value: '5.00×', met: true });
    expect(byName['named model, JSON: req/s vs Portkey, 10 connections']).toMatchObject({ value: '6.00×', met: true });
    expect(byName['`auto`, JSON: req/s vs Portkey, 10 connections']).toMatchObject({ value: '5.00×', met: true });
    expect(byName['`auto`, JSON: req/s vs named model, 10 connections']).toMatchObject({ value: '0.83×', met: false });
    expect(byName['gateway CPU per request, named, JSON, 10 connections']).toMatchObject({ value: '0.240 ms', met: true });
    expect(byName['gateway CPU per request, `auto`, JSON, 10 connections']).toMatchObject({ value: '0.360 ms', met: false });
    expect(byName['added p99, named, JSON, 1 connection']).toMatchObject({ value: '+0.500 ms', met: true });
    expect(byName['added p99, `auto`, JSON, 1 connection']).toMatchObject({ value: '+2.000 ms', met: false });
    expect(byName['named model, streamed: req/s vs Portkey, 1 connection']).toMatchObject({ value: '10.00×', met: true });
    expect(byName['key + budgets + rate limit (Redis) vs keyless, named, JSON, 10 connections']).toMatchObject({ value: '0.83×', met: true });
  });

  it('holds the floor (a bare Node proxy) to the same targets, after the figures of aigw', () => {
    const figures = issueTargetFigures(results([...RUNS, run('floor', 1, 4000, 2.2, 0.2), run('floor', 10, 4500, 6, 0.1)]));
    const byName = Object.fromEntries(figures.map((f) => [f.figure, f]));
    expect(byName['floor (bare Node proxy), JSON: req/s vs Portkey, 1 connection']).toMatchObject({ value: '10.00×', target: '≥ 5×', met: true });
    expect(byName['floor (bare Node proxy), JSON: req/s vs Portkey, 10 connections']).toMatchObject({ value: '9.00×', met: true });
    expect(byName['floor CPU per request, JSON, 10 connections']).toMatchObject({ value: '0.100 ms', target: '≤ 0.25 ms', met: true });
    expect(byName['added p99, floor, JSON, 1 connection']).toMatchObject({ value: '+1.200 ms', target: '≤ 1 ms', met: false });
    expect(figures.slice(-4).map((f) => f.figure.startsWith('floor') || f.figure.includes('floor'))).toEqual([true, true, true, true]);
    expect(issueTargetFigures(results(RUNS)).some((f) => f.figure.includes('floor'))).toBe(false);
  });

  it('leaves out the Portkey and keyed figures when those did not run, and marks what is missing', () => {
    const figures = issueTargetFigures(results(RUNS.filter((r) => r.target !== 'portkey' && r.target !== 'gateway-keyed')));
    expect(figures.some((f) => f.figure.includes('Portkey') || f.figure.includes('keyless'))).toBe(false);
    expect(issueTargetsTable(results([run('direct', 1, 1, 1, 0)])).join('\n')).toContain('| – | ≤ 0.25 ms | – |');
  });
});

describe('keyFromCreateOutput', () => {
  it('finds the key that aigw keys create prints', () => {
    expect(keyFromCreateOutput('Created key 7b72 (bench). Store it now:\n\n  aigw_Dg_pV3hCpHCe5pQ8kyAyQp2VfGYnOX8K5nxSTevb7P4\n')).toBe(
      'aigw_Dg_pV3hCpHCe5pQ8kyAyQp2VfGYnOX8K5nxSTevb7P4',
    );
    expect(() => keyFromCreateOutput('no key here')).toThrow(/no key/);
  });
});
