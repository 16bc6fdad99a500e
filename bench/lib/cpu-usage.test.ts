import { describe, expect, it } from 'vitest';
import { addCpuDeltas, cpuDelta, cpuPerRequest, parseMachineStatTicks, parseProcessStatTicks, snapshotCpu, type CpuSnapshot } from './cpu-usage.ts';

describe('parseProcessStatTicks', () => {
  it('adds utime and stime, also when the command name has spaces and parentheses', () => {
    const rest = 'R 31222 31222 25224 0 -1 4194304 99 0 0 0 70 30 0 0 20 0 1 0 301665';
    expect(parseProcessStatTicks(`31225 (cat) ${rest}`)).toBe(100);
    expect(parseProcessStatTicks(`31225 (node (x) y) ${rest}`)).toBe(100);
  });
});

describe('parseMachineStatTicks', () => {
  it('counts idle and iowait as not busy', () => {
    const stat = 'cpu  100 5 20 400 10 1 2 3 0 0\ncpu0 50 2 10 200 5 0 1 1 0 0\n';
    expect(parseMachineStatTicks(stat)).toEqual({ busy: 131, total: 541 });
  });
});

describe('cpuDelta and cpuPerRequest', () => {
  const snap = (gw: number, sim: number, busy: number, total: number): CpuSnapshot => ({
    processTicks: { gateway: gw, sim },
    machine: { busy, total },
  });

  it('gives CPU ms per request per process and the share taken by other processes', () => {
    // 100 ticks/s: gateway used 50 ticks = 500 ms over 1000 requests; machine 200 of 400 ticks busy, 80 of them ours.
    const r = cpuPerRequest(cpuDelta(snap(10, 5, 1000, 5000), snap(60, 35, 1200, 5400)), 1000, 100);
    expect(r.msPerRequest.gateway).toBeCloseTo(0.5, 12);
    expect(r.msPerRequest.sim).toBeCloseTo(0.3, 12);
    expect(r.otherShare).toBeCloseTo(120 / 400, 12);
  });

  it('adds the deltas of interleaved rounds', () => {
    const d = addCpuDeltas(cpuDelta(snap(0, 0, 0, 100), snap(10, 2, 30, 200)), cpuDelta(snap(50, 50, 500, 1000), snap(60, 54, 520, 1100)));
    expect(d).toEqual({ processTicks: { gateway: 20, sim: 6 }, machineBusyTicks: 50, machineTotalTicks: 200 });
    expect(cpuPerRequest(d, 10, 100).otherShare).toBeCloseTo(24 / 200, 12);
  });

  it('has no share when a process could not be read', () => {
    const before: CpuSnapshot = { processTicks: { gateway: undefined }, machine: { busy: 0, total: 0 } };
    const after: CpuSnapshot = { processTicks: { gateway: undefined }, machine: { busy: 10, total: 20 } };
    expect(cpuPerRequest(cpuDelta(before, after), 10, 100)).toEqual({ msPerRequest: { gateway: undefined }, otherShare: undefined });
  });
});

describe('snapshotCpu', () => {
  it.runIf(process.platform === 'linux')('reads this process and the machine from /proc', () => {
    const s = snapshotCpu({ self: process.pid });
    expect(s.processTicks.self).toBeGreaterThanOrEqual(0);
    expect(s.machine!.total).toBeGreaterThan(s.machine!.busy);
  });
});
