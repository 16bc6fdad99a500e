/**
 * CPU accounting for a benchmark run from Linux /proc: CPU time per process (user + system, all
 * threads) and the machine's busy time, so a run can report CPU per request and how much of the
 * machine was taken by processes outside the benchmark (other work sharing the cores skews latency).
 */
import { readFileSync } from 'node:fs';

/** utime + stime in clock ticks from the text of /proc/PID/stat. */
export function parseProcessStatTicks(stat: string): number | undefined {
  // The command name may contain spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/** Busy and total clock ticks over all cores from the `cpu` line of /proc/stat. */
export function parseMachineStatTicks(stat: string): { busy: number; total: number } | undefined {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 8 || v.some((n) => !Number.isFinite(n))) return undefined;
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - v[3]! - v[4]!, total };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export interface CpuSnapshot {
  /** Ticks per process name; undefined where /proc is not readable. */
  processTicks: Record<string, number | undefined>;
  machine: { busy: number; total: number } | undefined;
}

export function snapshotCpu(pids: Record<string, number>): CpuSnapshot {
  const processTicks: Record<string, number | undefined> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const stat = readOrUndefined(`/proc/${pid}/stat`);
    processTicks[name] = stat === undefined ? undefined : parseProcessStatTicks(stat);
  }
  const machineStat = readOrUndefined('/proc/stat');
  return { processTicks, machine: machineStat === undefined ? undefined : parseMachineStatTicks(machineStat) };
}

/** CPU used between two snapshots; undefined where a value could not be read. */
export interface CpuDelta {
  processTicks: Record<string, number | undefined>;
  machineBusyTicks: number | undefined;
  machineTotalTicks: number | undefined;
}

export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuDelta {
  const processTicks: Record<string, number | undefined> = {};
  for (const name of Object.keys(after.processTicks)) {
    const a = before.processTicks[name];
    const b = after.processTicks[name];
    processTicks[name] = a === undefined || b === undefined ? undefined : b - a;
  }
  const machine = before.machine && after.machine;
  return {
    processTicks,
    machineBusyTicks: machine ? after.machine!.busy - before.machine!.busy : undefined,
    machineTotalTicks: machine ? after.machine!.total - before.machine!.total : undefined,
  };
}

function addMaybe(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a + b;
}

export function addCpuDeltas(a: CpuDelta, b: CpuDelta): CpuDelta {
  const processTicks: Record<string, number | undefined> = {};
  for (const name of new Set([...Object.keys(a.processTicks), ...Object.keys(b.processTicks)])) {
    processTicks[name] = addMaybe(a.processTicks[name], b.processTicks[name]);
  }
  return {
    processTicks,
    machineBusyTicks: addMaybe(a.machineBusyTicks, b.machineBusyTicks),
    machineTotalTicks: addMaybe(a.machineTotalTicks, b.machineTotalTicks),
  };
}

export interface CpuPerRequest {
  /** CPU ms per request of each process. */
  msPerRequest: Record<string, number | undefined>;
  /** Share of all cores busy with processes not in the snapshots (0–1). */
  otherShare: number | undefined;
}

export function cpuPerRequest(delta: CpuDelta, requests: number, ticksPerS: number): CpuPerRequest {
  const msPerRequest: Record<string, number | undefined> = {};
  let ownTicks: number | undefined = 0;
  for (const [name, ticks] of Object.entries(delta.processTicks)) {
    msPerRequest[name] = ticks === undefined || requests === 0 ? undefined : (ticks * 1000) / ticksPerS / requests;
    ownTicks = addMaybe(ownTicks, ticks);
  }
  const { machineBusyTicks: busy, machineTotalTicks: total } = delta;
  const otherShare = ownTicks === undefined || busy === undefined || total === undefined || total <= 0 ? undefined : Math.max(0, (busy - ownTicks) / total);
  return { msPerRequest, otherShare };
}
