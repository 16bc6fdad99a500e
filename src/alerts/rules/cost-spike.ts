import { sql } from 'kysely';
import { num } from '../../analytics/request-window.ts';
import { requestCells } from '../../analytics/rollup/request-cells.ts';
import type { AlertRule } from '../../config/alerts-schema.ts';
import type { Observation } from '../types.ts';
import { durationText, usd, windowQuery, type RuleContext } from './rule-context.ts';

type CostSpikeRule = Extract<AlertRule, { kind: 'cost_spike' }>;

async function spendOf(ctx: RuleContext, fromMs: number, toMs: number): Promise<{ costUsd: number; requests: number }> {
  if (toMs <= fromMs) return { costUsd: 0, requests: 0 };
  const cells = await requestCells(ctx.db, windowQuery(toMs, toMs - fromMs), { fromMs, toMs }, []);
  return { costUsd: cells.reduce((s, c) => s + c.costUsd, 0), requests: cells.reduce((s, c) => s + c.requests, 0) };
}

/**
 * Spend over the window against a fixed ceiling (`max_usd`) and against `factor` × the trailing
 * baseline's average spend per window (zero-spend stretches included; a history shorter than the
 * baseline is averaged over what there is). Read from the request rollup (requestCells).
 */
export async function evaluateCostSpike(ctx: RuleContext, rule: CostSpikeRule): Promise<Observation[]> {
  const { nowMs } = ctx;
  const windowFromMs = nowMs - rule.window;
  const first = await sql<{ m: unknown }>`select min(created_at) as m from requests`.execute(ctx.db);
  const firstMs = first.rows[0]?.m === null || first.rows[0]?.m === undefined ? null : num(first.rows[0].m);
  const baselineFromMs = Math.max(windowFromMs - rule.baseline, firstMs ?? windowFromMs);
  const [now, base] = await Promise.all([spendOf(ctx, windowFromMs, nowMs), spendOf(ctx, baselineFromMs, windowFromMs)]);
  const baselineWindows = (windowFromMs - baselineFromMs) / rule.window;
  const baselineUsd = baselineWindows >= 1 ? base.costUsd / baselineWindows : null;
  const w = durationText(rule.window);
  const details = {
    requests: now.requests,
    cost_usd: now.costUsd,
    baseline_usd_per_window: baselineUsd,
    baseline: durationText(rule.baseline),
    factor: rule.factor,
    max_usd: rule.max_usd ?? null,
  };
  const window = { fromMs: windowFromMs, toMs: nowMs };
  const base0 = { subject: 'total', level: 1, value: now.costUsd, window, details };
  if (now.requests < rule.min_sample) {
    return [
      {
        ...base0,
        status: 'insufficient',
        threshold: null,
        message: `spend over the last ${w}: ${now.requests} requests, fewer than the ${rule.min_sample} needed to judge a spike`,
      },
    ];
  }
  const overCeiling = rule.max_usd !== undefined && now.costUsd > rule.max_usd;
  const spikeLine = baselineUsd === null ? null : rule.factor * baselineUsd;
  const overBaseline = spikeLine !== null && now.costUsd > spikeLine && now.costUsd - (baselineUsd ?? 0) >= rule.min_usd;
  const times = baselineUsd ? ` (${(now.costUsd / baselineUsd).toFixed(1)}× the ${usd(baselineUsd)} per ${w} of the last ${durationText(rule.baseline)})` : '';
  if (overCeiling || overBaseline) {
    const why = overCeiling ? `above the ${usd(rule.max_usd ?? 0)} ceiling` : `above ${rule.factor}× the baseline`;
    return [
      {
        ...base0,
        status: 'firing',
        threshold: overCeiling ? (rule.max_usd ?? null) : spikeLine,
        message: `Spend spike: ${usd(now.costUsd)} over the last ${w}, ${why}${times}`,
      },
    ];
  }
  const noBaseline = baselineUsd === null ? ` (no ${w} of history before the window yet: only the ceiling applies)` : '';
  return [
    { ...base0, status: 'ok', threshold: spikeLine ?? rule.max_usd ?? null, message: `Spend ${usd(now.costUsd)} over the last ${w}${times}${noBaseline}` },
  ];
}
