import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { changePct, isoOf } from './request-window.ts';
import { COMPLEXITY_EDGES, HOUR_MS } from './rollup/cell-sql.ts';
import { requestCells, sumCells, type RequestCell } from './rollup/request-cells.ts';
import { roundSig } from './stats.ts';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export interface RequestPatterns {
  sample_size: number;
  data_gaps: string[];
  task_type_mix: { task_type: string; requests: number; share: number }[];
  /** From routing decisions (only routed requests have a complexity). */
  complexity_distribution: { bucket: string; min: number; max: number; requests: number; share: number }[];
  avg_complexity: number | null;
  complexity_sample_size: number;
  /** Requests per UTC hour of day (0–23) and per UTC weekday, summed over the window. */
  by_hour: { hour: number; requests: number }[];
  by_day: { day: string; requests: number }[];
  peak_hours: { hour: string; requests: number }[];
  peak_hour: string | null;
  peak_day: string | null;
  /** The same-length window just before this one. */
  period_over_period: {
    previous_from: string;
    previous_to: string;
    requests: number;
    previous_requests: number;
    requests_change_pct: number | null;
    cost_usd: number;
    previous_cost_usd: number;
    cost_change_pct: number | null;
    by_task_type: { task_type: string; requests: number; previous_requests: number; change_pct: number | null }[];
  };
}

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00 UTC`;
}

/** Task type mix, complexity distribution, peak hours and days, period-over-period change. */
export async function requestPatterns(db: Kysely<Database>, q: AnalysisQuery): Promise<RequestPatterns> {
  const prev = { fromMs: q.fromMs - (q.toMs - q.fromMs), toMs: q.fromMs };
  // Every figure is a sum of the window's (and the previous window's) cells: rollup hours plus edges.
  const [cells, prevCells] = await Promise.all([requestCells(db, q, q, ['hour_ms', 'task_type']), requestCells(db, q, prev, ['task_type'])]);
  const byName = (list: readonly RequestCell[]) =>
    sumCells(
      list,
      (c) => c.taskType ?? '(none)',
      (c) => c.requests,
    );
  const currentByTask = byName(cells);
  const tasks = [...currentByTask.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = tasks.reduce((s, t) => s + t[1], 0);
  const routed = cells.reduce((s, c) => s + c.routed, 0);
  const complexitySum = cells.reduce((s, c) => s + c.complexity, 0);
  const bucketCounts = COMPLEXITY_EDGES.slice(0, -1).map((_, i) => cells.reduce((s, c) => s + (c.complexityBuckets[i] ?? 0), 0));
  // Hour of day and weekday of a cell's UTC hour (1970-01-01 was a Thursday = 4).
  const hourCounts = sumCells(
    cells,
    (c) => Math.floor(c.hourMs / HOUR_MS) % 24,
    (c) => c.requests,
  );
  const dayCounts = sumCells(
    cells,
    (c) => (Math.floor(c.hourMs / DAY_MS) + 4) % 7,
    (c) => c.requests,
  );
  const by_hour = Array.from({ length: 24 }, (_, hour) => ({ hour, requests: hourCounts.get(hour) ?? 0 }));
  const by_day = WEEKDAYS.map((day, i) => ({ day, requests: dayCounts.get(i) ?? 0 }));
  const peakHours = by_hour
    .filter((h) => h.requests > 0)
    .sort((a, b) => b.requests - a.requests || a.hour - b.hour)
    .slice(0, 3);
  const peakDay = [...by_day].sort((a, b) => b.requests - a.requests)[0];
  const costOf = (list: readonly RequestCell[]) => list.reduce((s, c) => s + c.costUsd, 0);
  const p = { n: total, cost: costOf(cells), pn: prevCells.reduce((s, c) => s + c.requests, 0), pcost: costOf(prevCells) };
  const prevByTask = new Map([...byName(prevCells).entries()].sort((a, b) => a[0].localeCompare(b[0])));
  const taskNames = [...new Set([...tasks.map((t) => t[0]), ...prevByTask.keys()])];
  const gaps: string[] = [];
  if (total === 0) gaps.push('no requests in this window: no patterns to describe');
  else if (routed === 0) gaps.push('no routed requests in this window: complexity distribution unavailable (complexity is recorded with routing decisions)');
  if (total > 0 && q.toMs - q.fromMs < 7 * DAY_MS) gaps.push('window shorter than 7 days: weekday pattern covers only part of a week');
  if (p.pn === 0) gaps.push('no requests in the previous period of the same length: period-over-period change unavailable');
  return {
    sample_size: total,
    data_gaps: gaps,
    task_type_mix: tasks.map(([task_type, n]) => ({ task_type, requests: n, share: roundSig(n / total) ?? 0 })),
    complexity_distribution: COMPLEXITY_EDGES.slice(0, -1).map((min, i) => {
      const max = COMPLEXITY_EDGES[i + 1] ?? 1;
      const requests = bucketCounts[i] ?? 0;
      return { bucket: `${min.toFixed(1)}–${max.toFixed(1)}`, min, max, requests, share: routed > 0 ? (roundSig(requests / routed) ?? 0) : 0 };
    }),
    avg_complexity: roundSig(routed > 0 ? complexitySum / routed : null),
    complexity_sample_size: routed,
    by_hour,
    by_day,
    peak_hours: peakHours.map((h) => ({ hour: hourLabel(h.hour), requests: h.requests })),
    peak_hour: peakHours[0] ? hourLabel(peakHours[0].hour) : null,
    peak_day: peakDay && peakDay.requests > 0 ? peakDay.day : null,
    period_over_period: {
      previous_from: isoOf(prev.fromMs),
      previous_to: isoOf(prev.toMs),
      requests: p.n,
      previous_requests: p.pn,
      requests_change_pct: roundSig(changePct(p.pn, p.n), 4),
      cost_usd: roundSig(p.cost) ?? 0,
      previous_cost_usd: roundSig(p.pcost) ?? 0,
      cost_change_pct: roundSig(changePct(p.pcost, p.cost), 4),
      by_task_type: taskNames.map((task_type) => {
        const now = currentByTask.get(task_type) ?? 0;
        const before = prevByTask.get(task_type) ?? 0;
        return { task_type, requests: now, previous_requests: before, change_pct: roundSig(changePct(before, now), 4) };
      }),
    },
  };
}
