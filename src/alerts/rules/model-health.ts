import { requestLatencyPercentiles } from '../../analytics/indexed-percentiles.ts';
import { requestCells } from '../../analytics/rollup/request-cells.ts';
import type { AlertRule } from '../../config/alerts-schema.ts';
import type { Observation } from '../types.ts';
import { durationText, pct, windowQuery, type RuleContext } from './rule-context.ts';

type ErrorRateRule = Extract<AlertRule, { kind: 'error_rate' }>;
type LatencyRule = Extract<AlertRule, { kind: 'latency_p95' }>;

interface ModelCounts {
  requests: number;
  serverErrors: number;
}

/** Requests and server errors (status ≥ 500) per model over [fromMs, toMs), from the request rollup. */
async function countsPerModel(ctx: RuleContext, fromMs: number, toMs: number): Promise<Map<string, ModelCounts>> {
  const out = new Map<string, ModelCounts>();
  if (toMs <= fromMs) return out;
  const cells = await requestCells(ctx.db, windowQuery(toMs, toMs - fromMs), { fromMs, toMs }, ['model_used', 'status']);
  for (const c of cells) {
    if (c.model === null) continue;
    const m = out.get(c.model) ?? { requests: 0, serverErrors: 0 };
    m.requests += c.requests;
    if (c.status >= 500) m.serverErrors += c.requests;
    out.set(c.model, m);
  }
  return out;
}

/** Per model: the share of server errors over the window against `max_rate` and `factor` × its baseline rate. */
export async function evaluateErrorRate(ctx: RuleContext, rule: ErrorRateRule): Promise<Observation[]> {
  const fromMs = ctx.nowMs - rule.window;
  const [now, base] = await Promise.all([
    countsPerModel(ctx, fromMs, ctx.nowMs),
    rule.factor ? countsPerModel(ctx, fromMs - rule.baseline, fromMs) : new Map<string, ModelCounts>(),
  ]);
  const w = durationText(rule.window);
  return [...now].map(([model, c]) => {
    const rate = c.serverErrors / c.requests;
    const b = base.get(model);
    const baseRate = b && b.requests >= rule.min_sample ? b.serverErrors / b.requests : null;
    const relative = rule.factor !== undefined && baseRate !== null && baseRate > 0 ? rule.factor * baseRate : null;
    const details = {
      model,
      requests: c.requests,
      server_errors: c.serverErrors,
      baseline_rate: baseRate,
      max_rate: rule.max_rate,
      factor: rule.factor ?? null,
    };
    const base0 = { subject: model, level: 1, value: rate, window: { fromMs, toMs: ctx.nowMs }, details };
    const text = `${model}: ${c.serverErrors} of ${c.requests} requests failed upstream or in the gateway (${pct(rate)}) in the last ${w}`;
    if (c.requests < rule.min_sample)
      return { ...base0, status: 'insufficient', threshold: rule.max_rate, message: `${text}: fewer than the ${rule.min_sample} requests needed to judge` };
    const overMax = rate > rule.max_rate;
    const overBase = relative !== null && rate > relative;
    if (overMax || overBase) {
      const why = overMax ? `above the ${pct(rule.max_rate)} threshold` : `above ${rule.factor}× its ${pct(baseRate ?? 0)} baseline`;
      return { ...base0, status: 'firing', threshold: overMax ? rule.max_rate : relative, message: `Error rate: ${text}, ${why}` };
    }
    return { ...base0, status: 'ok', threshold: rule.max_rate, message: text };
  });
}

/** Per model: p95 request latency over the window against `max_ms` and `factor` × its p95 over the baseline. */
export async function evaluateLatency(ctx: RuleContext, rule: LatencyRule): Promise<Observation[]> {
  const fromMs = ctx.nowMs - rule.window;
  const baseFromMs = fromMs - rule.baseline;
  const [now, base] = await Promise.all([countsPerModel(ctx, fromMs, ctx.nowMs), countsPerModel(ctx, baseFromMs, fromMs)]);
  const w = durationText(rule.window);
  const out: Observation[] = [];
  for (const [model, c] of now) {
    const p95Ms = (await requestLatencyPercentiles(ctx.db, { ...windowQuery(ctx.nowMs, rule.window), models: [model] }, c.requests, [95])).p95 ?? null;
    const b = base.get(model);
    const baseP95Ms =
      b && b.requests >= rule.min_sample
        ? ((await requestLatencyPercentiles(ctx.db, { fromMs: baseFromMs, toMs: fromMs, taskTypes: [], keyIds: [], models: [model] }, b.requests, [95])).p95 ??
          null)
        : null;
    const relative = baseP95Ms !== null ? rule.factor * baseP95Ms : null;
    const details = {
      model,
      requests: c.requests,
      p95_ms: p95Ms,
      baseline_p95_ms: baseP95Ms,
      baseline: durationText(rule.baseline),
      max_ms: rule.max_ms ?? null,
      factor: rule.factor,
    };
    const base0 = { subject: model, level: 1, value: p95Ms, window: { fromMs, toMs: ctx.nowMs }, details };
    const text = `${model}: p95 latency ${p95Ms === null ? 'n/a' : `${Math.round(p95Ms)} ms`} over ${c.requests} requests in the last ${w}`;
    if (c.requests < rule.min_sample || p95Ms === null) {
      out.push({
        ...base0,
        status: 'insufficient',
        threshold: rule.max_ms ?? relative,
        message: `${text}: fewer than the ${rule.min_sample} requests needed to judge`,
      });
      continue;
    }
    const overMax = rule.max_ms !== undefined && p95Ms > rule.max_ms;
    const overBase = relative !== null && p95Ms > relative;
    const vs = baseP95Ms === null ? '' : ` (baseline p95 ${Math.round(baseP95Ms)} ms over the ${durationText(rule.baseline)} before)`;
    if (overMax || overBase) {
      const why = overMax ? `above the ${rule.max_ms} ms threshold` : `above ${rule.factor}× its baseline`;
      out.push({ ...base0, status: 'firing', threshold: overMax ? (rule.max_ms ?? null) : relative, message: `Latency: ${text}, ${why}${vs}` });
    } else out.push({ ...base0, status: 'ok', threshold: rule.max_ms ?? relative, message: `${text}${vs}` });
  }
  return out;
}
