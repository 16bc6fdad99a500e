import type { Bottlenecks } from '../bottlenecks.ts';
import type { CostDrivers } from '../cost-drivers.ts';
import { cellsBelowThreshold, QualityIssuesOptions } from '../quality-issues.ts';
import type { QualityMetrics } from '../quality-metrics.ts';
import { formatUsd, formatValue } from './format-metric.ts';
import { UNCLASSIFIED, type Finding, type Metric } from './report-document.ts';

// Numbers in a finding's sentence print as the report prints metrics, and come from the finding's source.
const pct = (share: number | null) => formatValue({ value: share === null ? null : share * 100, unit: 'percent', source: '' });
const ms = (v: number) => formatValue({ value: v, unit: 'ms', source: '' });
const usd = formatUsd;
const score = (v: number | null) => formatValue({ value: v, unit: 'score', source: '' });
const taskName = (t: string) => (t === '(none)' ? UNCLASSIFIED : t);
const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const metric = (value: number | null, unit: Metric['unit'], source: string): Metric => ({ value, unit, source });

/** The seed's step 3 in the report: performance bottlenecks, as the bottlenecks analysis found them. */
export function performanceFindings(b: Bottlenecks): Finding[] {
  const out: Finding[] = [];
  const s = b.slow_decisions;
  if (s.count > 0) {
    const slowest = s.slowest[0];
    out.push({
      area: 'performance',
      finding: `${s.count} of ${s.routed_requests} routing decisions (${pct(s.share)}) took longer than ${s.threshold_ms} ms${slowest ? `; the slowest ${ms(slowest.decision_ms)} (${taskName(slowest.task_type)}, request ${slowest.request_id})` : ''}`,
      metric: metric(s.share === null ? null : s.share * 100, 'percent', 'bottlenecks'),
    });
  }
  const spike = b.latency_spikes[0];
  if (spike) {
    out.push({
      area: 'performance',
      finding: `${counted(b.latency_spikes.length, 'model-hour')}${b.latency_spikes.length >= b.options.limit ? ' or more' : ''} averaged ≥ ${b.options.spike_factor}× their model's median latency; worst ${spike.model} at ${spike.hour_start}: ${ms(spike.avg_latency_ms)} against ${ms(spike.model_median_latency_ms)} (${spike.ratio}×) over ${spike.requests} requests`,
      metric: metric(b.latency_spikes.length, 'count', 'bottlenecks'),
    });
  }
  const burst = b.error_bursts[0];
  if (burst) {
    const cause = burst.error_types[0];
    out.push({
      area: 'performance',
      finding: `${counted(b.error_bursts.length, 'minute')}${b.error_bursts.length >= b.options.limit ? ' or more' : ''} with server errors on ≥ ${pct(b.options.error_rate_threshold)} of requests; worst ${burst.minute_start}: ${burst.errors} of ${burst.requests}${cause ? `, mostly ${cause.error_type}` : ''}`,
      metric: metric(b.error_bursts.length, 'count', 'bottlenecks'),
    });
  }
  if (out.length === 0 && b.sample_size > 0) {
    out.push({
      area: 'performance',
      finding: `no slow decisions (> ${s.threshold_ms} ms), latency spikes or error bursts in the window`,
      metric: metric(0, 'count', 'bottlenecks'),
    });
  }
  return out;
}

/** Cost bottlenecks: what the spend concentrates on, long prompts, premium models on easy requests, spiking hours. */
export function costFindings(c: CostDrivers): Finding[] {
  const out: Finding[] = [];
  // A group without a name (no API key, no model, no task type) is not something to act on: named groups only.
  const named = <T extends { cost_usd: number; share: number }>(label: string, rows: readonly T[], nameOf: (r: T) => string) => {
    const top = rows.find((r) => nameOf(r) !== '(none)');
    return top ? [`${label} ${nameOf(top)} ${pct(top.share)} (${usd(top.cost_usd)})`] : [];
  };
  const parts = [
    ...named('model', c.top_models, (r) => r.model),
    ...named('key', c.top_keys, (r) => r.key_id),
    ...named('task type', c.top_task_types, (r) => r.task_type),
  ];
  if (c.total_cost_usd > 0 && parts.length > 0) {
    out.push({
      area: 'cost',
      finding: `largest shares of the ${usd(c.total_cost_usd)} spent: ${parts.join(', ')}`,
      metric: metric((c.top_models.find((r) => r.model !== '(none)')?.share ?? 0) * 100, 'percent', 'cost_drivers'),
    });
  }
  const lp = c.long_prompts;
  if (lp.requests > 0) {
    out.push({
      area: 'cost',
      finding: `${counted(lp.requests, 'prompt')} over ${lp.threshold_tokens.toLocaleString('en-US')} input tokens (${pct(lp.share_of_requests)} of requests) cost ${usd(lp.cost_usd)} (${pct(lp.share_of_cost)} of spend)`,
      metric: metric(lp.share_of_cost === null ? null : lp.share_of_cost * 100, 'percent', 'cost_drivers'),
    });
  }
  const pl = c.premium_low_complexity;
  if (pl && pl.requests > 0) {
    out.push({
      area: 'cost',
      finding: `${counted(pl.requests, 'low-complexity routed request')} went to premium-tier models: ${usd(pl.cost_usd)} (${pct(pl.share_of_cost)} of spend)`,
      metric: metric(pl.share_of_cost === null ? null : pl.share_of_cost * 100, 'percent', 'cost_drivers'),
    });
  }
  const spike = c.cost_spikes[0];
  if (spike) {
    out.push({
      area: 'cost',
      finding: `${counted(c.cost_spikes.length, 'hour')} cost ≥ ${Math.min(...c.cost_spikes.map((h) => h.times_median))}× the median hour; the dearest ${spike.hour_start}: ${usd(spike.cost_usd)} over ${spike.requests} requests (${spike.times_median}× the median)`,
      metric: metric(c.cost_spikes.length, 'count', 'cost_drivers'),
    });
  }
  return out;
}

/**
 * Quality bottlenecks: model × task type cells of quality_metrics averaging below `threshold`, judged as
 * identify_quality_issues judges them, worst first (at most `limit`).
 */
export function qualityFindings(qm: Pick<QualityMetrics, 'by_model_task_type' | 'rated_requests'>, threshold: number, limit = 3): Finding[] {
  const minSamples = QualityIssuesOptions.parse({}).min_samples;
  const { cells, unconfirmed_cells } = cellsBelowThreshold(qm.by_model_task_type, threshold, minSamples);
  const out: Finding[] = cells.slice(0, limit).map((c) => ({
    area: 'quality' as const,
    finding: `${c.model} on ${taskName(c.task_type)}: average quality ${score(c.avg_quality)} (95% CI ${score(c.ci95_low)}–${score(c.ci95_high)}) over ${c.rated} ratings, below ${threshold}${c.significant ? '' : ' (the interval reaches the threshold: not yet significant)'}`,
    metric: metric(c.avg_quality, 'score', 'quality_metrics'),
  }));
  if (cells.length > limit)
    out.push({
      area: 'quality',
      finding: `${counted(cells.length - limit, 'more model × task type cell')} below ${threshold}`,
      metric: metric(cells.length, 'count', 'quality_metrics'),
    });
  if (unconfirmed_cells.length > 0) {
    out.push({
      area: 'quality',
      finding: `${counted(unconfirmed_cells.length, 'cell')} below ${threshold} on fewer than ${minSamples} ratings each (collect more before acting)`,
      metric: metric(unconfirmed_cells.length, 'count', 'quality_metrics'),
    });
  }
  if (out.length === 0 && qm.rated_requests > 0) {
    out.push({ area: 'quality', finding: `no model × task type cell averages below ${threshold}`, metric: metric(0, 'count', 'quality_metrics') });
  }
  return out;
}
