import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { changePct, decisionsInWindowSql, isoOf, num, requestWindowSql } from './request-window.ts';
import { roundSig } from './stats.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Complexity buckets of width 0.2 over the router's 0–1 scale (1.0 falls in the last). */
const COMPLEXITY_EDGES = [0, 0.2, 0.4, 0.6, 0.8, 1] as const;

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
  const where = requestWindowSql(q);
  const prev = { fromMs: q.fromMs - (q.toMs - q.fromMs), toMs: q.fromMs };
  // Hour of day and weekday from epoch ms with integer arithmetic (1970-01-01 was a Thursday = 4).
  const hourSql = sql`((r.created_at / ${sql.lit(HOUR_MS)}) % 24)`;
  const daySql = sql`(((r.created_at / ${sql.lit(DAY_MS)}) + 4) % 7)`;
  const bucketSql = sql.join(
    COMPLEXITY_EDGES.slice(1, -1).map((edge, i) => sql`when d.complexity < ${sql.lit(edge)} then ${sql.lit(i)}`),
    sql` `,
  );
  const [tasks, complexity, hours, days, periods, prevTasks] = await Promise.all([
    sql<{ task_type: string | null; n: unknown }>`
      select r.task_type, count(*) as n from requests r where ${where} group by r.task_type order by count(*) desc, r.task_type`.execute(db),
    sql<{ b: unknown; n: unknown; avg: unknown }>`
      select case ${bucketSql} else ${sql.lit(COMPLEXITY_EDGES.length - 2)} end as b, count(*) as n, avg(d.complexity) as avg
      from ${decisionsInWindowSql(q)}
      group by case ${bucketSql} else ${sql.lit(COMPLEXITY_EDGES.length - 2)} end`.execute(db),
    sql<{ h: unknown; n: unknown }>`select ${hourSql} as h, count(*) as n from requests r where ${where} group by ${hourSql}`.execute(db),
    sql<{ d: unknown; n: unknown }>`select ${daySql} as d, count(*) as n from requests r where ${where} group by ${daySql}`.execute(db),
    sql<{ n: unknown; cost: unknown; pn: unknown; pcost: unknown }>`
      select sum(case when r.created_at >= ${q.fromMs} then 1 else 0 end) as n,
        sum(case when r.created_at >= ${q.fromMs} then r.cost_usd else 0 end) as cost,
        sum(case when r.created_at < ${q.fromMs} then 1 else 0 end) as pn,
        sum(case when r.created_at < ${q.fromMs} then r.cost_usd else 0 end) as pcost
      from requests r where ${requestWindowSql(q, 'r', { fromMs: prev.fromMs, toMs: q.toMs })}`.execute(db),
    sql<{ task_type: string | null; n: unknown }>`
      select r.task_type, count(*) as n from requests r where ${requestWindowSql(q, 'r', prev)} group by r.task_type`.execute(db),
  ]);
  const total = tasks.rows.reduce((s, t) => s + num(t.n), 0);
  const routed = complexity.rows.reduce((s, c) => s + num(c.n), 0);
  const complexitySum = complexity.rows.reduce((s, c) => s + num(c.n) * num(c.avg), 0);
  const byBucket = new Map(complexity.rows.map((c) => [num(c.b), num(c.n)]));
  const hourCounts = new Map(hours.rows.map((h) => [num(h.h), num(h.n)]));
  const dayCounts = new Map(days.rows.map((d) => [num(d.d), num(d.n)]));
  const by_hour = Array.from({ length: 24 }, (_, hour) => ({ hour, requests: hourCounts.get(hour) ?? 0 }));
  const by_day = WEEKDAYS.map((day, i) => ({ day, requests: dayCounts.get(i) ?? 0 }));
  const peakHours = by_hour.filter((h) => h.requests > 0).sort((a, b) => b.requests - a.requests || a.hour - b.hour).slice(0, 3);
  const peakDay = [...by_day].sort((a, b) => b.requests - a.requests)[0];
  const p = periods.rows[0];
  const prevByTask = new Map(prevTasks.rows.map((t) => [t.task_type ?? '(none)', num(t.n)]));
  const taskNames = [...new Set([...tasks.rows.map((t) => t.task_type ?? '(none)'), ...prevByTask.keys()])];
  const currentByTask = new Map(tasks.rows.map((t) => [t.task_type ?? '(none)', num(t.n)]));
  const gaps: string[] = [];
  if (total === 0) gaps.push('no requests in this window: no patterns to describe');
  else if (routed === 0) gaps.push('no routed requests in this window: complexity distribution unavailable (complexity is recorded with routing decisions)');
  if (total > 0 && q.toMs - q.fromMs < 7 * DAY_MS) gaps.push('window shorter than 7 days: weekday pattern covers only part of a week');
  if (num(p?.pn) === 0) gaps.push('no requests in the previous period of the same length: period-over-period change unavailable');
  return {
    sample_size: total,
    data_gaps: gaps,
    task_type_mix: tasks.rows.map((t) => ({ task_type: t.task_type ?? '(none)', requests: num(t.n), share: roundSig(num(t.n) / total) ?? 0 })),
    complexity_distribution: COMPLEXITY_EDGES.slice(0, -1).map((min, i) => {
      const max = COMPLEXITY_EDGES[i + 1] ?? 1;
      const requests = byBucket.get(i) ?? 0;
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
      requests: num(p?.n),
      previous_requests: num(p?.pn),
      requests_change_pct: roundSig(changePct(num(p?.pn), num(p?.n)), 4),
      cost_usd: roundSig(num(p?.cost)) ?? 0,
      previous_cost_usd: roundSig(num(p?.pcost)) ?? 0,
      cost_change_pct: roundSig(changePct(num(p?.pcost), num(p?.cost)), 4),
      by_task_type: taskNames.map((task_type) => {
        const now = currentByTask.get(task_type) ?? 0;
        const before = prevByTask.get(task_type) ?? 0;
        return { task_type, requests: now, previous_requests: before, change_pct: roundSig(changePct(before, now), 4) };
      }),
    },
  };
}


