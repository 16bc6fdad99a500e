import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { isoOf, num } from './request-window.ts';
import { budgetPeriodsAt, keySpend } from './key-spend.ts';
import { roundSig } from './stats.ts';

export interface BudgetUse {
  key_id: string;
  key_name: string;
  period: 'daily' | 'monthly';
  /** The UTC calendar day or month the budget enforces, the one holding the window's end. */
  period_start: string;
  budget_usd: number;
  spent_usd: number;
  /** spent / budget, 0–1 (above 1 when reservations were overrun). */
  utilization: number;
}

export interface BudgetUtilization {
  budgets: BudgetUse[];
  /** The most-used budget's utilization (the key closest to its cap); null when no key has a budget. */
  budget_utilization: number | null;
}

/**
 * Spend of each budgeted key in the budget period that holds the window's end (UTC day / month, as
 * the budget ledger enforces them), against its budget. Key filters apply; task type and model
 * filters do not — a budget caps all of a key's spend.
 */
export async function budgetUtilization(db: Kysely<Database>, q: AnalysisQuery): Promise<BudgetUtilization> {
  const keys = await db
    .selectFrom('api_keys')
    .select(['id', 'name', 'budget_daily_usd', 'budget_monthly_usd'])
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('budget_daily_usd', 'is not', null), eb('budget_monthly_usd', 'is not', null)]))
    .$if(q.keyIds.length > 0, (qb) => qb.where('id', 'in', q.keyIds))
    .orderBy('id')
    .execute();
  if (keys.length === 0) return { budgets: [], budget_utilization: null };
  const { dayStartMs, monthStartMs } = budgetPeriodsAt(q.toMs - 1);
  // A budget caps all of a key's spend: the key filter applies, task type and model filters do not.
  const byKey = await keySpend(
    db,
    q.toMs,
    keys.map((k) => k.id),
  );
  const budgets: BudgetUse[] = [];
  for (const k of keys) {
    const spent = byKey.get(k.id) ?? { dayUsd: 0, monthUsd: 0 };
    const periods = [
      { period: 'daily', startMs: dayStartMs, limit: k.budget_daily_usd, spentUsd: spent.dayUsd },
      { period: 'monthly', startMs: monthStartMs, limit: k.budget_monthly_usd, spentUsd: spent.monthUsd },
    ] as const;
    for (const p of periods) {
      const budgetUsd = p.limit === null ? null : num(p.limit);
      if (budgetUsd === null || budgetUsd <= 0) continue;
      budgets.push({
        key_id: k.id,
        key_name: k.name,
        period: p.period,
        period_start: isoOf(p.startMs),
        budget_usd: budgetUsd,
        spent_usd: roundSig(p.spentUsd) ?? 0,
        utilization: roundSig(p.spentUsd / budgetUsd) ?? 0,
      });
    }
  }
  return { budgets, budget_utilization: budgets.length ? Math.max(...budgets.map((b) => b.utilization)) : null };
}
