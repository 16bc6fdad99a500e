import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/schema.ts';
import type { AnalysisQuery } from './analysis-query.ts';
import { costTrend } from './cost-trend.ts';
import { percentilesOfCounts } from './indexed-percentiles.ts';
import type { PercentileValues } from './percentiles.ts';
import { decisionsInWindowSql, num, ratio, requestWindowSql } from './request-window.ts';
import { requestCells, type RequestCell } from './rollup/request-cells.ts';
import { compareCodeUnits, roundSig } from './stats.ts';

export const CostDriversOptions = z.object({
  long_prompt_tokens: z.coerce.number().int().positive().default(4000).describe('A prompt with more input tokens than this is long'),
  top: z.coerce.number().int().positive().max(100).default(5).describe('How many keys, task types and models to list'),
  spike_factor: z.coerce.number().min(1).default(3).describe('An hour costing this many times the median non-zero hour is a spike'),
  low_complexity_max: z.coerce.number().min(0).max(1).default(0.4).describe('Premium-tier requests at or below this complexity count as overuse'),
  tier_of: z.record(z.string(), z.string()).optional().describe('Model id → tier from the config catalog'),
});
export type CostDriversOptions = z.input<typeof CostDriversOptions>;

interface Driver {
  requests: number;
  cost_usd: number;
  share: number;
}

export interface CostDrivers {
  sample_size: number;
  data_gaps: string[];
  total_cost_usd: number;
  top_keys: (Driver & { key_id: string })[];
  top_task_types: (Driver & { task_type: string })[];
  top_models: (Driver & { model: string })[];
  /** Input tokens per request, nearest-rank percentiles. */
  input_tokens: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
  long_prompts: { threshold_tokens: number; requests: number; share_of_requests: number | null; cost_usd: number; share_of_cost: number | null };
  /** Hours costing `spike_factor` × the median non-zero hour or more. */
  cost_spikes: { hour_start: string; cost_usd: number; requests: number; times_median: number }[];
  /** Routed requests sent to premium-tier models at low complexity (needs tier_of). */
  premium_low_complexity: { requests: number; cost_usd: number; share_of_cost: number | null } | null;
}

/** The `top` groups of `cells` by spend (then by requests, then by name), with their share of `totalUsd`. */
function topBy<K extends string>(
  cells: readonly RequestCell[],
  nameOf: (c: RequestCell) => string | null,
  label: K,
  top: number,
  totalUsd: number,
): (Driver & Record<K, string>)[] {
  const groups = new Map<string, { n: number; cost: number }>();
  for (const c of cells) {
    const name = nameOf(c) ?? '(none)';
    const g = groups.get(name) ?? { n: 0, cost: 0 };
    g.n += c.requests;
    g.cost += c.costUsd;
    groups.set(name, g);
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => y.cost - x.cost || y.n - x.n || compareCodeUnits(a, b))
    .slice(0, top)
    .map(
      ([name, g]) =>
        ({ [label]: name, requests: g.n, cost_usd: roundSig(g.cost) ?? 0, share: roundSig(ratio(g.cost, totalUsd) ?? 0) ?? 0 }) as Driver & Record<K, string>,
    );
}

interface InputTokenProfile {
  requests: number;
  costUsd: number;
  percentiles: PercentileValues;
  maxTokens: number | null;
  longRequests: number;
  longCostUsd: number;
}

/**
 * Requests, spend, input-token percentiles and the long prompts' share of the window, from one pass that
 * counts the distinct token counts (integers with few distinct values: counting beats ranking every row).
 */
async function inputTokenProfile(db: Kysely<Database>, q: AnalysisQuery, longTokens: number): Promise<InputTokenProfile> {
  const rows = await sql<{ x: unknown; n: unknown; cost: unknown }>`
    select r.input_tokens as x, count(*) as n, sum(r.cost_usd) as cost from requests r where ${requestWindowSql(q)}
    group by r.input_tokens order by r.input_tokens`.execute(db);
  const out: InputTokenProfile = { requests: 0, costUsd: 0, percentiles: {}, maxTokens: null, longRequests: 0, longCostUsd: 0 };
  const counted: { x: number; n: number }[] = [];
  for (const r of rows.rows) {
    const [n, cost] = [num(r.n), num(r.cost)];
    out.requests += n;
    out.costUsd += cost;
    if (r.x === null) continue;
    const x = num(r.x);
    counted.push({ x, n });
    out.maxTokens = x;
    if (x > longTokens) {
      out.longRequests += n;
      out.longCostUsd += cost;
    }
  }
  out.percentiles = percentilesOfCounts(counted, [50, 90, 99]);
  return out;
}

function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.ceil(sorted.length / 2) - 1] ?? null) : null;
}

/** Top keys, task types and models by spend; long prompts; cost spikes; premium models on easy requests. */
export async function costDrivers(db: Kysely<Database>, q: AnalysisQuery, opts: CostDriversOptions = {}): Promise<CostDrivers> {
  const o = CostDriversOptions.parse(opts);
  const t = await inputTokenProfile(db, q, o.long_prompt_tokens);
  const n = t.requests;
  const total = t.costUsd;
  const premiumModels = o.tier_of
    ? Object.entries(o.tier_of)
        .filter(([, tier]) => tier === 'premium')
        .map(([m]) => m)
    : [];
  const [cells, hourly, premium] = await Promise.all([
    requestCells(db, q, q, ['key_id', 'task_type', 'model_used']),
    costTrend(db, q, 'hour'),
    premiumModels.length
      ? sql<{ n: unknown; cost: unknown }>`
          select count(*) as n, sum(r.cost_usd) as cost from ${decisionsInWindowSql(q)}
          and d.complexity <= ${o.low_complexity_max} and r.model_used in (${sql.join(premiumModels)})`.execute(db)
      : undefined,
  ]);
  const keys = topBy(cells, (c) => c.keyId, 'key_id', o.top, total);
  const tasks = topBy(cells, (c) => c.taskType, 'task_type', o.top, total);
  const models = topBy(cells, (c) => c.model, 'model', o.top, total);
  const costly = hourly.trend.filter((h) => h.cost_usd > 0);
  const medianHourUsd = median(costly.map((h) => h.cost_usd));
  const cost_spikes =
    medianHourUsd === null || costly.length < 3
      ? []
      : costly
          .filter((h) => h.cost_usd >= o.spike_factor * medianHourUsd)
          .map((h) => ({ hour_start: h.bucket_start, cost_usd: h.cost_usd, requests: h.requests, times_median: roundSig(h.cost_usd / medianHourUsd, 4) ?? 0 }))
          .sort((a, b) => b.cost_usd - a.cost_usd);
  const gaps: string[] = [];
  if (n === 0) gaps.push('no requests in this window: no cost drivers to find');
  else if (total === 0) gaps.push('the window cost nothing (local models or cache hits): cost shares are undefined');
  if (n > 0 && costly.length < 3) gaps.push(`spend in only ${costly.length} hour(s): too few to call any hour a spike`);
  if (!o.tier_of) gaps.push('no model catalog was given (tier_of): premium-model overuse unavailable');
  else if (premiumModels.length === 0) gaps.push('the catalog has no premium-tier model: premium-model overuse not applicable');
  const p = premium?.rows[0];
  return {
    sample_size: n,
    data_gaps: gaps,
    total_cost_usd: roundSig(total) ?? 0,
    top_keys: keys,
    top_task_types: tasks,
    top_models: models,
    input_tokens: { p50: t.percentiles.p50 ?? null, p90: t.percentiles.p90 ?? null, p99: t.percentiles.p99 ?? null, max: t.maxTokens },
    long_prompts: {
      threshold_tokens: o.long_prompt_tokens,
      requests: t.longRequests,
      share_of_requests: roundSig(ratio(t.longRequests, n)),
      cost_usd: roundSig(t.longCostUsd) ?? 0,
      share_of_cost: roundSig(ratio(t.longCostUsd, total)),
    },
    cost_spikes,
    premium_low_complexity: premium
      ? { requests: num(p?.n), cost_usd: roundSig(num(p?.cost)) ?? 0, share_of_cost: roundSig(ratio(num(p?.cost), total)) }
      : null,
  };
}
