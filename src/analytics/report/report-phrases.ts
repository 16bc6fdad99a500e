import { directionOf } from './format-metric.ts';
import type { Breakdown, Metric, ReportDocument, ReportRecommendation } from './report-document.ts';

/**
 * The report's sentences, shared by the Markdown and HTML renderers so both say the same thing: every
 * percentage names its base ("of all requests", "of window spend", "of the routed requests' spend"),
 * and no line mixes bases without saying so. `v` prints a number (Markdown notes its source for the
 * section's Sources line, HTML puts the source in the number's hover title); `t` escapes plain text.
 */
export interface Fmt {
  v(metric: Metric, opts?: { signed?: boolean }): string;
  t(text: string): string;
}

/** A labelled line: the label as plain text, the body already formatted. */
export type Line = [label: string, body: string];

const pct = (value: number | null, source: string): Metric => ({ value, unit: 'percent', source });

/** A reduction metric as "12.3% lower cost" or "4.0% higher cost". */
export function dir(f: Fmt, metric: Metric, less: string, more: string): string {
  const d = directionOf(metric, less, more);
  return `${f.v(d.magnitude)} ${f.t(d.words)}`;
}

/** "a $1.00 (25%), b $3.00 (75%)": the caller's label names the base of the shares. */
export function breakdown(f: Fmt, items: readonly Breakdown[], limit = 6): string {
  if (items.length === 0) return 'n/a';
  const shown = items.slice(0, limit).map((b) => `${f.t(b.name)} ${f.v(b.value)}${b.share_pct.value === null ? '' : ` (${f.v(b.share_pct)})`}`);
  return items.length > limit ? `${shown.join(', ')}, and ${items.length - limit} more` : shown.join(', ');
}

export function executiveSummaryLines(f: Fmt, doc: ReportDocument): Line[] {
  const s = doc.executive_summary;
  const rejected = doc.current_state.performance.rejected_before_routing;
  return [
    ['Analysis Period', f.t(s.analysis_period)],
    [
      'Total Requests Analyzed',
      `${f.v(s.total_requests)} (${f.v(s.routed_requests)} routed by the router${rejected.value ? `; ${f.v(rejected)} rejected before routing` : ''})`,
    ],
    ['Current Average Cost', `${f.v(s.avg_cost_usd)} per request, over all requests`],
    ['Current Average Quality', `${f.v(s.avg_quality)}, over the requests with a quality signal`],
    [
      'Optimization Potential',
      `${dir(f, s.optimization_potential_pct, 'lower cost', 'higher cost')} of the routed requests' spend (the changes touch only the ${f.v(s.routed_requests)} routed requests, not the all-request average above)`,
    ],
    ['Recommended Actions', f.v(s.recommended_actions)],
  ];
}

export function performanceLines(f: Fmt, doc: ReportDocument): Line[] {
  const p = doc.current_state.performance;
  const total = doc.executive_summary.total_requests.value;
  const rejectedShare = total && p.rejected_before_routing.value !== null ? (p.rejected_before_routing.value / total) * 100 : null;
  return [
    ['Average Routing Latency', `${f.v(p.avg_routing_latency_ms)} (p95 ${f.v(p.p95_routing_latency_ms)}; whole request ${f.v(p.avg_request_latency_ms)})`],
    ['Success Rate', `${f.v(p.success_rate_pct)} of all requests (failures ${f.v(p.failure_rate_pct)} of all requests)`],
    ['Model Distribution (requests that reached a model; share of them)', breakdown(f, p.model_distribution)],
    [
      'Rejected Before Routing',
      `${f.v(p.rejected_before_routing)} (${f.v(pct(rejectedShare, p.rejected_before_routing.source))} of all requests): refused before a model was chosen — authentication, budget, rate limit or an invalid request; no model and no quality sample`,
    ],
    ['Peak Usage', f.t(p.peak_usage)],
  ];
}

export function costLines(f: Fmt, doc: ReportDocument): Line[] {
  const c = doc.current_state.cost;
  return [
    ['Total Spend', f.v(c.total_spend_usd)],
    ['Cost per Task Type (share of window spend)', breakdown(f, c.by_task_type)],
    ['Cost per Model (share of window spend)', breakdown(f, c.by_model)],
    ['Cost per Model Tier (share of window spend)', breakdown(f, c.by_tier)],
    [
      'Budget Utilization',
      c.budget_utilization_pct.value === null ? f.v(c.budget_utilization_pct) : `${f.v(c.budget_utilization_pct)} of its limit (the most-used budget)`,
    ],
    ['Prices', f.t(c.price_sources)],
    ['Cost Trend', `${f.t(c.trend_direction)} (${f.v(c.trend_change_pct, { signed: true })}: the window's second half against its first)`],
  ];
}

export function qualityLines(f: Fmt, doc: ReportDocument): Line[] {
  const q = doc.current_state.quality;
  return [
    ['Average Quality Score', `${f.v(q.avg_quality)}/1.0`],
    ['Quality by Model (average over its rated requests)', breakdown(f, q.by_model)],
    ['Task Completion Rate', `${f.v(q.completion_rate_pct)} of the requests not refused as client errors (4xx)`],
    ['Quality–Cost Correlation', f.v(q.quality_cost_correlation)],
  ];
}

export function decisionLines(f: Fmt, doc: ReportDocument): Line[] {
  const d = doc.current_state.decisions;
  return [
    [
      'Decision Accuracy',
      `${f.v(d.optimal_share_pct)} of ${f.v(d.analyzed)} rated decisions chose the model that was best in hindsight under goal ${f.t(doc.parameters.goal)}`,
    ],
    ['Missed Savings', `${f.v(d.missed_savings_usd)} (${f.v(d.missed_savings_share_pct)} of those decisions' spend)`],
  ];
}

export function impactOf(f: Fmt, r: ReportRecommendation): string {
  return (
    `${f.t(r.expected_impact)}. On the routed requests: cost ${f.v(r.cost_change_pct, { signed: true })} of their spend, ` +
    `average quality ${f.v(r.quality_change, { signed: true })}, average latency ${f.v(r.latency_change_pct, { signed: true })}; saves ${f.v(r.savings_usd)}`
  );
}

/** The seed's Model Mix Optimization, one line per task type: its model shares now and with the recommended rules. */
export function modelMixLines(f: Fmt, doc: ReportDocument): Line[] {
  const shares = (xs: ReportDocument['model_mix'][number]['current']) => xs.map((x) => `${f.t(x.model)} ${f.v(x.share_pct)}`).join(', ') || 'n/a';
  return doc.model_mix.map((row) => [
    row.task_type,
    `${f.v(row.requests)} routed requests — now ${shares(row.current)} → recommended ${shares(row.recommended)} (shares of the task type's routed requests)`,
  ]);
}

/** The seed's Risk Assessment for one change: quality, performance and cost risks and their mitigations. */
export function riskLines(f: Fmt, r: ReportRecommendation): Line[] {
  return [
    ['Quality Impact Risk', f.t(r.risk_assessment.quality)],
    ['Performance Degradation Risk', f.t(r.risk_assessment.performance)],
    ['Cost Increase Risk', f.t(r.risk_assessment.cost)],
    ['Mitigation Strategies', f.t(r.risk_assessment.mitigations.join('; ') || 'none needed')],
  ];
}

/** `aigw router status` as report lines (the outcome table is rendered apart). */
export function routerLines(f: Fmt, doc: ReportDocument): Line[] {
  const r = doc.monitoring_status.router;
  return [
    ['Live Router', f.t(`${r.live_version} (${r.promoted_model ? `promoted ${r.promoted_model}` : 'configured model file'})`)],
    ['Learning', f.t(r.learning_enabled ? `on, exploring on ${Number((r.explore_share * 100).toFixed(2))}% of routed requests` : 'off')],
    ['Learned State', f.t(r.learned_state)],
  ];
}

export function evaluationText(e: ReportDocument['monitoring_status']['router']['evaluations'][number]): string {
  return `${e.at} ${e.version}: ${e.status} — ${e.reason}`;
}

export function alertLines(f: Fmt, doc: ReportDocument): Line[] {
  const a = doc.monitoring_status.alerts;
  return [
    [
      'Firing',
      a.firing.length === 0 ? 'none' : a.firing.map((x) => f.t(`${x.severity} ${x.rule_id} on ${x.subject} since ${x.since}: ${x.message}`)).join('; '),
    ],
    ['Too Little Data to Judge', f.t(`${a.insufficient_data} check(s)`)],
    ['Failing Destinations', a.failing_destinations.length === 0 ? 'none' : f.t(a.failing_destinations.join('; '))],
  ];
}
