import { sql, type Kysely } from 'kysely';
import type { GatewayConfig } from '../config/schema.ts';
import type { Database } from '../store/schema.ts';
import { AnalysisParamsError, type AnalysisQuery } from './analysis-query.ts';
import { budgetUtilization, type BudgetUse } from './budget-utilization.ts';
import { costTrend, type TrendBucket, type TrendPoint } from './cost-trend.ts';
import { num, ratio, requestWindowSql } from './request-window.ts';
import { roundSig } from './stats.ts';

export const COST_GROUPS = ['model', 'task_type', 'key', 'tier', 'team'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

const GROUP_COLUMN: Record<Exclude<CostGroup, 'tier'>, string> = { model: 'model_used', task_type: 'task_type', key: 'key_id', team: 'team' };

export interface RoutingCostsOptions {
  /** Groupings to compute (default: all); `tier` needs `tier_of`. */
  group_by?: readonly string[];
  /** Model id → tier (economy, standard, premium) from the config catalog; see modelTiers(). */
  tier_of?: Readonly<Record<string, string>>;
  bucket?: TrendBucket;
}

export interface CostGroupRow {
  requests: number;
  cost_usd: number;
  /** Share of the window's spend, 0–1. */
  share: number;
  avg_cost_usd: number;
}

export interface RoutingCosts {
  sample_size: number;
  data_gaps: string[];
  /** Spend: what the upstream calls cost. Cache savings are not subtracted or added. */
  total_cost_usd: number;
  avg_cost_per_request_usd: number | null;
  /** What cached answers would have cost upstream; counted apart from spend. */
  cache_saved_usd: number;
  cache_hits: number;
  by_model?: (CostGroupRow & { model: string })[];
  by_task_type?: (CostGroupRow & { task_type: string })[];
  by_key?: (CostGroupRow & { key_id: string })[];
  by_team?: (CostGroupRow & { team: string })[];
  by_tier?: (CostGroupRow & { tier: string })[];
  budgets: BudgetUse[];
  budget_utilization: number | null;
  trend_bucket: TrendBucket;
  trend: TrendPoint[];
  trend_change_pct: number | null;
}

/** Model id → tier for every model of the config catalog (the `tier_of` option). */
export function modelTiers(config: Pick<GatewayConfig, 'models'>): Record<string, string> {
  return Object.fromEntries(config.models.map((m) => [m.id, m.tier]));
}

function parseGroups(groupBy: readonly string[] | undefined): CostGroup[] {
  if (!groupBy || groupBy.length === 0) return [...COST_GROUPS];
  const unknown = groupBy.filter((g) => !(COST_GROUPS as readonly string[]).includes(g));
  if (unknown.length) throw new AnalysisParamsError(`group_by: unknown grouping ${unknown.join(', ')} (use ${COST_GROUPS.join(', ')})`);
  return [...new Set(groupBy)] as CostGroup[];
}

interface Grouped {
  name: string;
  requests: number;
  cost: number;
}

async function costBy(db: Kysely<Database>, q: AnalysisQuery, column: string): Promise<Grouped[]> {
  const col = sql.ref(`r.${column}`);
  const rows = await sql<{ name: string | null; n: unknown; cost: unknown }>`
    select ${col} as name, count(*) as n, sum(r.cost_usd) as cost from requests r where ${requestWindowSql(q)}
    group by ${col} order by sum(r.cost_usd) desc, count(*) desc`.execute(db);
  return rows.rows.map((r) => ({ name: r.name ?? '(none)', requests: num(r.n), cost: num(r.cost) }));
}

function toRows<K extends string>(label: K, groups: readonly Grouped[], totalUsd: number): (CostGroupRow & Record<K, string>)[] {
  return groups.map((g) => ({
    [label]: g.name,
    requests: g.requests,
    cost_usd: roundSig(g.cost) ?? 0,
    share: roundSig(ratio(g.cost, totalUsd) ?? 0) ?? 0,
    avg_cost_usd: roundSig(g.cost / g.requests) ?? 0,
  })) as (CostGroupRow & Record<K, string>)[];
}

function byTier(models: readonly Grouped[], tierOf: Readonly<Record<string, string>>): Grouped[] {
  const tiers = new Map<string, Grouped>();
  for (const m of models) {
    const tier = tierOf[m.name] ?? '(not in catalog)';
    const t = tiers.get(tier) ?? { name: tier, requests: 0, cost: 0 };
    t.requests += m.requests;
    t.cost += m.cost;
    tiers.set(tier, t);
  }
  return [...tiers.values()].sort((a, b) => b.cost - a.cost);
}

/**
 * Spend grouped by model, task type, key, team and model tier; budget utilization per key; the cost
 * trend per hour or day with % change; cache savings apart from spend.
 */
export async function routingCosts(db: Kysely<Database>, q: AnalysisQuery, opts: RoutingCostsOptions = {}): Promise<RoutingCosts> {
  const groups = parseGroups(opts.group_by);
  const wantModels = groups.includes('model') || groups.includes('tier');
  const [totals, models, tasks, keys, teams, budgets, trend] = await Promise.all([
    sql<{ n: unknown; cost: unknown; saved: unknown; hits: unknown }>`
      select count(*) as n, sum(r.cost_usd) as cost, sum(r.cache_saved_usd) as saved, sum(r.cache_hit) as hits
      from requests r where ${requestWindowSql(q)}`.execute(db),
    wantModels ? costBy(db, q, GROUP_COLUMN.model) : undefined,
    groups.includes('task_type') ? costBy(db, q, GROUP_COLUMN.task_type) : undefined,
    groups.includes('key') ? costBy(db, q, GROUP_COLUMN.key) : undefined,
    groups.includes('team') ? costBy(db, q, GROUP_COLUMN.team) : undefined,
    budgetUtilization(db, q),
    costTrend(db, q, opts.bucket),
  ]);
  const t = totals.rows[0];
  const n = num(t?.n);
  const total = num(t?.cost);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: no spend to analyse');
  if (budgets.budgets.length === 0) gaps.push('no API key has a daily or monthly budget: budget utilization unavailable');
  const out: RoutingCosts = {
    sample_size: n,
    data_gaps: gaps,
    total_cost_usd: roundSig(total) ?? 0,
    avg_cost_per_request_usd: roundSig(ratio(total, n)),
    cache_saved_usd: roundSig(num(t?.saved)) ?? 0,
    cache_hits: num(t?.hits),
    ...budgets,
    ...trend,
  };
  if (models && groups.includes('model')) out.by_model = toRows('model', models, total);
  if (tasks) out.by_task_type = toRows('task_type', tasks, total);
  if (keys) out.by_key = toRows('key_id', keys, total);
  if (teams) out.by_team = toRows('team', teams, total);
  if (groups.includes('tier')) {
    if (opts.tier_of) out.by_tier = toRows('tier', byTier(models ?? [], opts.tier_of), total);
    else gaps.push('no model catalog was given (tier_of): cost per model tier unavailable');
  }
  return out;
}
