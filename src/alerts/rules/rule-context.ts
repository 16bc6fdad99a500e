import type { Kysely } from 'kysely';
import type { AnalysisQuery } from '../../analytics/analysis-query.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import type { Database } from '../../store/schema.ts';

/** What a rule reads: the analytics connection, the time of the evaluation and the config in force. */
export interface RuleContext {
  db: Kysely<Database>;
  nowMs: number;
  config: GatewayConfig;
  /** Breaker reports older than this are from replicas that stopped; the breaker rule ignores them. */
  breakerReportsSinceMs: number;
}

/** The window [now − windowMs, now) with no filters. */
export function windowQuery(nowMs: number, windowMs: number): AnalysisQuery {
  return { fromMs: nowMs - windowMs, toMs: nowMs, taskTypes: [], keyIds: [], models: [] };
}

/** "$1.23", "$0.000456": enough digits to see a small number. */
export function usd(v: number): string {
  return `$${v >= 1 ? v.toFixed(2) : v.toPrecision(3)}`;
}

export function pct(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

/** "15m", "1h", "7d": a window as people write it. */
export function durationText(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
