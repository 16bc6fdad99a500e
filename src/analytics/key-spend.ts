import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { DAY_MS } from './rollup/cell-sql.ts';
import { requestCells } from './rollup/request-cells.ts';

/** A key's spend in the UTC day and the UTC month that hold a moment (the periods budgets enforce). */
export interface KeySpend {
  dayUsd: number;
  monthUsd: number;
}

/** Start of the UTC day and the UTC month holding `atMs`. */
export function budgetPeriodsAt(atMs: number): { dayStartMs: number; monthStartMs: number } {
  const at = new Date(atMs);
  return { dayStartMs: Math.floor(atMs / DAY_MS) * DAY_MS, monthStartMs: Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1) };
}

/**
 * Spend per key (every key, or `keyIds`) in the UTC day and month before `toMs`, from the request log
 * (rollups for whole days and hours, raw rows at the edges). Keys without requests are absent.
 */
export async function keySpend(db: Kysely<Database>, toMs: number, keyIds: readonly string[] = []): Promise<Map<string, KeySpend>> {
  const { dayStartMs, monthStartMs } = budgetPeriodsAt(toMs - 1);
  const q: AnalysisQuery = { fromMs: monthStartMs, toMs, taskTypes: [], keyIds, models: [] };
  const cells = await requestCells(db, q, q, ['key_id', 'hour_ms'], 'day');
  const byKey = new Map<string, KeySpend>();
  for (const c of cells) {
    if (c.keyId === null) continue;
    const spent = byKey.get(c.keyId) ?? { dayUsd: 0, monthUsd: 0 };
    spent.monthUsd += c.costUsd;
    // Cells are whole hours or whole UTC days and the budget day is a UTC day, so a cell is wholly in it or before it.
    if (c.hourMs >= dayStartMs) spent.dayUsd += c.costUsd;
    byKey.set(c.keyId, spent);
  }
  return byKey;
}

export interface KeySpendFields {
  spent_today_usd: number;
  spent_month_usd: number;
  /** Spend / budget, 0–1 (above 1 when overrun); null without that budget. */
  daily_budget_use: number | null;
  monthly_budget_use: number | null;
}

/** Spend and budget use for each key (the key listing's extra columns), at `nowMs`. */
export async function keySpendFields(
  db: Kysely<Database>,
  keys: readonly { id: string; budget_daily_usd: number | null; budget_monthly_usd: number | null }[],
  nowMs: number,
): Promise<Map<string, KeySpendFields>> {
  const spend = keys.length
    ? await keySpend(
        db,
        nowMs,
        keys.map((k) => k.id),
      )
    : new Map<string, KeySpend>();
  const use = (spent: number, budget: number | null) => (budget === null || budget <= 0 ? null : spent / budget);
  return new Map(
    keys.map((k) => {
      const s = spend.get(k.id) ?? { dayUsd: 0, monthUsd: 0 };
      return [
        k.id,
        {
          spent_today_usd: s.dayUsd,
          spent_month_usd: s.monthUsd,
          daily_budget_use: use(s.dayUsd, k.budget_daily_usd),
          monthly_budget_use: use(s.monthUsd, k.budget_monthly_usd),
        },
      ];
    }),
  );
}
