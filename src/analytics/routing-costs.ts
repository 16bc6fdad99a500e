import type { Kysely } from 'kysely';
import type { GatewayConfig } from '../config/schema.ts';
import type { Database } from '../store/schema.ts';
import { GATEWAY_SPEND_KEYS } from '../store/types.ts';
import { AnalysisParamsError, type AnalysisQuery } from './analysis-query.ts';
import { budgetUtilization, type BudgetUse } from './budget-utilization.ts';
import { bucketFor, costTrendOf, minuteCells, windowHalves, type TrendBucket, type TrendPoint } from './cost-trend.ts';
import { ratio } from './request-window.ts';
import { requestCells, type RequestCell } from './rollup/request-cells.ts';
import { roundSig } from './stats.ts';

export const COST_GROUPS = ['model', 'task_type', 'key', 'tier', 'team'] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

export interface RoutingCostsOptions {
  /** Groupings to compute (default: all); `tier` needs `tier_of`. */
  group_by?: readonly string[];
  /** Model id → tier (economy, standard, premium) from the config catalog; see modelTiers(). */
  tier_of?: Readonly<Record<string, string>>;
  bucket?: TrendBucket;
}

export type SpendCategory = 'client' | keyof typeof GATEWAY_SPEND_KEYS;
const CATEGORY_OF_KEY = new Map<string, SpendCategory>(Object.entries(GATEWAY_SPEND_KEYS).map(([category, key]) => [key, category as SpendCategory]));

/** A request's spend category from the key id it was logged under. */
export function spendCategoryOf(keyId: string | null): SpendCategory {
  return (keyId !== null && CATEGORY_OF_KEY.get(keyId)) || 'client';
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
  /**
   * Spend by category: `client` (the traffic of clients) and the gateway's own calls — `judge` (the LLM
   * judge's grading calls, learning spend). The by_* groupings below list client traffic only.
   */
  by_category: (CostGroupRow & { category: SpendCategory })[];
  /** Spend of client traffic alone (total_cost_usd less the gateway's own calls). */
  client_cost_usd: number;
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

/** Requests and spend per value of one grouping, largest spend first (then most requests, then name). */
function costBy(cells: readonly RequestCell[], nameOf: (c: RequestCell) => string | null): Grouped[] {
  const groups = new Map<string, Grouped>();
  for (const c of cells) {
    const name = nameOf(c) ?? '(none)';
    const g = groups.get(name) ?? { name, requests: 0, cost: 0 };
    g.requests += c.requests;
    g.cost += c.costUsd;
    groups.set(name, g);
  }
  return [...groups.values()].sort((a, b) => b.cost - a.cost || b.requests - a.requests || a.name.localeCompare(b.name));
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
  const [first, second] = windowHalves(q);
  // Hourly (daily, for a daily trend) sums of the two halves give the totals and the trend (its half-on-half change needs them
  // apart); one grouping by every cost dimension gives the breakdowns and the spend categories.
  const bucket = opts.bucket ?? bucketFor(q);
  const resolution = bucket === 'day' ? 'day' : 'hour';
  const [firstCells, secondCells, groupCells, budgets, minutes] = await Promise.all([
    requestCells(db, q, first, ['hour_ms'], resolution),
    requestCells(db, q, second, ['hour_ms'], resolution),
    requestCells(db, q, q, ['model_used', 'task_type', 'key_id', 'team']),
    budgetUtilization(db, q),
    bucket === 'minute' ? Promise.all([minuteCells(db, q, first), minuteCells(db, q, second)]) : undefined,
  ]);
  const cells = [...firstCells, ...secondCells];
  const categories = costBy(groupCells, (c) => spendCategoryOf(c.keyId));
  // The groupings describe client traffic; the gateway's own calls are listed by category only.
  const clientCells = groupCells.filter((c) => spendCategoryOf(c.keyId) === 'client');
  const clientUsd = clientCells.reduce((sum, c) => sum + c.costUsd, 0);
  const trend = minutes ? costTrendOf(q, minutes[0], minutes[1], bucket) : costTrendOf(q, firstCells, secondCells, bucket);
  const models = wantModels ? costBy(clientCells, (c) => c.model) : undefined;
  const tasks = groups.includes('task_type') ? costBy(clientCells, (c) => c.taskType) : undefined;
  const keys = groups.includes('key') ? costBy(clientCells, (c) => c.keyId) : undefined;
  const teams = groups.includes('team') ? costBy(clientCells, (c) => c.team) : undefined;
  let n = 0;
  let total = 0;
  let saved = 0;
  let hits = 0;
  for (const c of cells) {
    n += c.requests;
    total += c.costUsd;
    saved += c.cacheSavedUsd;
    hits += c.cacheHits;
  }
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: no spend to analyse');
  if (budgets.budgets.length === 0) gaps.push('no API key has a daily or monthly budget: budget utilization unavailable');
  const out: RoutingCosts = {
    sample_size: n,
    data_gaps: gaps,
    total_cost_usd: roundSig(total) ?? 0,
    avg_cost_per_request_usd: roundSig(ratio(total, n)),
    cache_saved_usd: roundSig(saved) ?? 0,
    cache_hits: hits,
    by_category: toRows('category', categories, total) as (CostGroupRow & { category: SpendCategory })[],
    client_cost_usd: roundSig(clientUsd) ?? 0,
    ...budgets,
    ...trend,
  };
  if (models && groups.includes('model')) out.by_model = toRows('model', models, clientUsd);
  if (tasks) out.by_task_type = toRows('task_type', tasks, clientUsd);
  if (keys) out.by_key = toRows('key_id', keys, clientUsd);
  if (teams) out.by_team = toRows('team', teams, clientUsd);
  if (groups.includes('tier')) {
    if (opts.tier_of) out.by_tier = toRows('tier', byTier(models ?? [], opts.tier_of), clientUsd);
    else gaps.push('no model catalog was given (tier_of): cost per model tier unavailable');
  }
  return out;
}
