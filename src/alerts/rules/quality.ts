import { qualityByModelAndTask, qualityCells } from '../../analytics/quality-metrics.ts';
import type { AlertRule } from '../../config/alerts-schema.ts';
import type { Observation } from '../types.ts';
import { durationText, windowQuery, type RuleContext } from './rule-context.ts';

type QualityRule = Extract<AlertRule, { kind: 'quality' }>;

/**
 * Quality per model × task type over the window (the quality cells quality_metrics and
 * identify_quality_issues judge): below the threshold with at least `min_sample` rated requests fires;
 * below it with fewer is stored as `insufficient` with the count, so the dashboard and the MCP tool can
 * say the data is too thin rather than stay silent.
 */
export async function evaluateQuality(ctx: RuleContext, rule: QualityRule): Promise<Observation[]> {
  const threshold = rule.quality_threshold ?? ctx.config.routing.default_min_quality;
  const q = windowQuery(ctx.nowMs, rule.window);
  const cells = qualityByModelAndTask(await qualityCells(ctx.db, q, threshold));
  const w = durationText(rule.window);
  const out: Observation[] = [];
  for (const c of cells) {
    if (c.rated === 0 || c.avg_quality === null) continue;
    const subject = `${c.model} × ${c.task_type}`;
    const details = {
      model: c.model,
      task_type: c.task_type,
      rated: c.rated,
      requests: c.requests,
      ci95_low: c.ci95_low,
      ci95_high: c.ci95_high,
      min_sample: rule.min_sample,
    };
    const base = { subject, level: 1, value: c.avg_quality, threshold, window: { fromMs: q.fromMs, toMs: q.toMs }, details };
    const text = `${c.model} on ${c.task_type}: average quality ${c.avg_quality.toFixed(3)} over ${c.rated} rated requests in the last ${w}`;
    if (c.avg_quality >= threshold) out.push({ ...base, status: 'ok', message: text });
    else if (c.rated < rule.min_sample) {
      out.push({ ...base, status: 'insufficient', message: `${text}: below ${threshold} but only ${c.rated} rated (${rule.min_sample} needed to alert)` });
    } else out.push({ ...base, status: 'firing', message: `Quality drop: ${text}, below the ${threshold} threshold` });
  }
  return out;
}
