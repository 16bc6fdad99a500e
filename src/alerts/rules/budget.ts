import { budgetUtilization } from '../../analytics/budget-utilization.ts';
import { DAY_MS } from '../../analytics/rollup/cell-sql.ts';
import { requestCells } from '../../analytics/rollup/request-cells.ts';
import type { AlertRule } from '../../config/alerts-schema.ts';
import type { Observation } from '../types.ts';
import { pct, usd, windowQuery, type RuleContext } from './rule-context.ts';

type BudgetRule = Extract<AlertRule, { kind: 'budget' }>;

interface BudgetUse {
  subject: string;
  who: string;
  period: 'daily' | 'monthly';
  periodStartMs: number;
  budgetUsd: number;
  spentUsd: number;
}

/** Start of the UTC day and month holding `nowMs − 1` (the budget ledger's periods). */
function periodStarts(nowMs: number): { dayStartMs: number; monthStartMs: number } {
  const end = new Date(nowMs - 1);
  return { dayStartMs: Math.floor((nowMs - 1) / DAY_MS) * DAY_MS, monthStartMs: Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1) };
}

/** Spend of each team with a budget in `rule.teams`, today and this month (UTC), from the rollup. */
async function teamUses(ctx: RuleContext, rule: BudgetRule): Promise<BudgetUse[]> {
  const teams = Object.entries(rule.teams);
  if (teams.length === 0) return [];
  const { dayStartMs, monthStartMs } = periodStarts(ctx.nowMs);
  const cells = await requestCells(
    ctx.db,
    windowQuery(ctx.nowMs, ctx.nowMs - monthStartMs),
    { fromMs: monthStartMs, toMs: ctx.nowMs },
    ['team', 'hour_ms'],
    'day',
  );
  const out: BudgetUse[] = [];
  for (const [team, budget] of teams) {
    const mine = cells.filter((c) => c.team === team);
    const month = mine.reduce((s, c) => s + c.costUsd, 0);
    // Cells are whole UTC days or hours: a cell is wholly inside today or before it.
    const day = mine.filter((c) => c.hourMs >= dayStartMs).reduce((s, c) => s + c.costUsd, 0);
    if (budget.daily_usd)
      out.push({ subject: `team:${team}:daily`, who: `team ${team}`, period: 'daily', periodStartMs: dayStartMs, budgetUsd: budget.daily_usd, spentUsd: day });
    if (budget.monthly_usd)
      out.push({
        subject: `team:${team}:monthly`,
        who: `team ${team}`,
        period: 'monthly',
        periodStartMs: monthStartMs,
        budgetUsd: budget.monthly_usd,
        spentUsd: month,
      });
  }
  return out;
}

/**
 * Each key's budget (daily / monthly, as the ledger enforces them) and each team budget of the rule:
 * the highest threshold the period's spend has crossed is the alert's level, so 50% → 80% → 100%
 * each notify once; a new period (spend back under the lowest threshold) resolves it.
 */
export async function evaluateBudget(ctx: RuleContext, rule: BudgetRule): Promise<Observation[]> {
  const keys = await budgetUtilization(ctx.db, windowQuery(ctx.nowMs, DAY_MS));
  const uses: BudgetUse[] = keys.budgets.map((b) => ({
    subject: `key:${b.key_id}:${b.period}`,
    who: `key ${b.key_name} (${b.key_id})`,
    period: b.period,
    periodStartMs: Date.parse(b.period_start),
    budgetUsd: b.budget_usd,
    spentUsd: b.spent_usd,
  }));
  uses.push(...(await teamUses(ctx, rule)));
  const thresholds = [...rule.thresholds].sort((a, b) => a - b);
  return uses.map((u) => {
    const share = u.spentUsd / u.budgetUsd;
    const crossed = thresholds.filter((t) => share >= t);
    const level = crossed.at(-1);
    const details = {
      period: u.period,
      period_start: new Date(u.periodStartMs).toISOString(),
      budget_usd: u.budgetUsd,
      spent_usd: u.spentUsd,
      utilization: share,
      thresholds,
    };
    const window = { fromMs: u.periodStartMs, toMs: ctx.nowMs };
    const text = `${u.who}: ${usd(u.spentUsd)} of its ${usd(u.budgetUsd)} ${u.period} budget (${pct(share)})`;
    if (level === undefined)
      return { subject: u.subject, status: 'ok', level: 0, value: share, threshold: thresholds[0] ?? null, message: text, window, details };
    const verb = level >= 1 ? 'exhausted' : `past ${pct(level)}`;
    return { subject: u.subject, status: 'firing', level, value: share, threshold: level, message: `Budget ${verb}: ${text}`, window, details };
  });
}
