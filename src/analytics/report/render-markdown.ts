import { formatValue } from './format-metric.ts';
import type { Breakdown, Metric, PlanItem, ReportDocument, ReportRecommendation } from './report-document.ts';

/** A number with its source as a Markdown footnote reference, defined in the Sources section. */
function m(metric: Metric, opts: { signed?: boolean } = {}): string {
  return `${formatValue(metric, opts)}[^${metric.source}]`;
}

function breakdown(items: readonly Breakdown[], limit = 6): string {
  if (items.length === 0) return 'n/a';
  const shown = items.slice(0, limit).map((b) => `${b.name} ${m(b.value)} (${formatValue(b.share_pct)})`);
  return items.length > limit ? `${shown.join(', ')}, and ${items.length - limit} more` : shown.join(', ');
}

export function renderRecommendationMarkdown(r: ReportRecommendation, heading = '###'): string {
  return [
    `${heading} ${r.category}`,
    `- **Current State**: ${r.current_state}`,
    `- **Recommended Change**: ${r.recommended_change}`,
    `- **Expected Impact**: ${r.expected_impact} (cost ${m(r.cost_change_pct, { signed: true })}, quality ${m(r.quality_change, { signed: true })}, latency ${m(r.latency_change_pct, { signed: true })}, saves ${m(r.savings_usd)})`,
    `- **Implementation Effort**: ${r.effort}`,
    `- **Risk Level**: ${r.risk}`,
    `- **Validation Criteria**: ${r.validation_criteria.join('; ')}`,
    ...(r.rule ? [`- **Apply**: \`aigw rules apply ${r.id}\``] : []),
  ].join('\n');
}

function recommendationList(items: readonly ReportRecommendation[], empty: string): string {
  return items.length === 0 ? `_${empty}_` : items.map((r) => renderRecommendationMarkdown(r, '####')).join('\n\n');
}

function planList(items: readonly PlanItem[]): string {
  if (items.length === 0) return '_Nothing planned for this phase._';
  return items.map((p) => `- ${p.action} — effort ${p.effort}, risk ${p.risk}, ${p.timeline}${p.recommendation_id ? ` (\`${p.recommendation_id}\`)` : ''}`).join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function matrixTable(doc: ReportDocument): string {
  const rows = doc.routing_rules.model_selection_matrix;
  if (rows.length === 0) return '_No task type has enough requests with quality signals to choose a model for it._';
  return [
    '| Task type | Complexity | Model | Current model | Expected quality | Expected cost/request | Requests |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (c) =>
        `| ${escapeCell(c.task_type)} | ${escapeCell(c.complexity_band)} | ${escapeCell(c.model)} | ${escapeCell(c.current_model ?? 'n/a')} | ${m(c.expected_quality)} | ${m(c.expected_cost_usd)} | ${m(c.requests)} |`,
    ),
  ].join('\n');
}

/** The report as Markdown in the seed's output format; every number footnoted with its source. */
export function renderReportMarkdown(doc: ReportDocument): string {
  const s = doc.executive_summary;
  const p = doc.current_state.performance;
  const c = doc.current_state.cost;
  const q = doc.current_state.quality;
  const o = doc.expected_outcomes;
  const params = doc.parameters;
  const lines = [
    `# ${doc.title}`,
    '',
    `_Generated ${doc.generated_at} · goal **${params.goal}** · constraints: cost < ${params.cost_threshold_usd === null ? 'none' : `$${params.cost_threshold_usd}`}, quality > ${params.quality_threshold ?? 'none'}${params.task_types.length ? ` · task types: ${params.task_types.join(', ')}` : ''}_`,
    '',
    '## Executive Summary',
    `- **Analysis Period**: ${s.analysis_period}`,
    `- **Total Requests Analyzed**: ${m(s.total_requests)}`,
    `- **Current Average Cost**: ${m(s.avg_cost_usd)}`,
    `- **Current Average Quality**: ${m(s.avg_quality)}`,
    `- **Optimization Potential**: ${m(s.optimization_potential_pct)} lower cost`,
    `- **Recommended Actions**: ${m(s.recommended_actions)}`,
    '',
    '## Current State Analysis',
    '',
    '### Performance Metrics',
    `- **Average Routing Latency**: ${m(p.avg_routing_latency_ms)} (p95 ${m(p.p95_routing_latency_ms)}; whole request ${m(p.avg_request_latency_ms)})`,
    `- **Success Rate**: ${m(p.success_rate_pct)}`,
    `- **Model Distribution**: ${breakdown(p.model_distribution)}`,
    `- **Peak Usage**: ${p.peak_usage}`,
    '',
    '### Cost Analysis',
    `- **Total Spend**: ${m(c.total_spend_usd)}`,
    `- **Cost per Task Type**: ${breakdown(c.by_task_type)}`,
    `- **Cost per Model**: ${breakdown(c.by_model)}`,
    `- **Budget Utilization**: ${m(c.budget_utilization_pct)}`,
    `- **Cost Trend**: ${c.trend_direction} (${m(c.trend_change_pct, { signed: true })})`,
    '',
    '### Quality Metrics',
    `- **Average Quality Score**: ${m(q.avg_quality)}/1.0`,
    `- **Quality by Model**: ${breakdown(q.by_model)}`,
    `- **Task Completion Rate**: ${m(q.completion_rate_pct)}`,
    `- **Quality–Cost Correlation**: ${m(q.quality_cost_correlation)}`,
    '',
    '## Optimization Opportunities',
    '',
    '### High-Impact Improvements',
    recommendationList(doc.opportunities.high, 'None found.'),
    '',
    '### Medium-Impact Improvements',
    recommendationList(doc.opportunities.medium, 'None found.'),
    '',
    '### Low-Impact Improvements',
    recommendationList(doc.opportunities.low, 'None found.'),
    '',
    '## Recommended Routing Rules',
    '',
    '### Updated Rule Set',
    doc.routing_rules.rules.length === 0
      ? '_No rule change meets the constraints on this history._'
      : doc.routing_rules.rules.map((r) => renderRecommendationMarkdown(r, '####')).join('\n\n'),
    '',
    '### Model Selection Matrix',
    matrixTable(doc),
    '',
    '## Implementation Plan',
    '',
    '### Phase 1: Immediate Changes (Week 1)',
    planList(doc.implementation_plan.phase_1),
    '',
    '### Phase 2: Tactical Improvements (Weeks 2-4)',
    planList(doc.implementation_plan.phase_2),
    '',
    '### Phase 3: Strategic Enhancements (Months 2-3)',
    planList(doc.implementation_plan.phase_3),
    '',
    '## Expected Outcomes',
    `- **Cost Reduction**: ${m(o.cost_reduction_pct)} (${m(o.cost_reduction_usd)} over the analysis period)`,
    `- **Performance Improvement**: ${m(o.latency_improvement_pct)} faster`,
    `- **Quality Maintenance**: ${m(o.quality_change, { signed: true })} quality change`,
    `- **ROI Timeline**: ${o.roi_timeline}`,
    '',
    '## Monitoring and Validation',
    ...doc.monitoring.map((k) => `- **${k.name}**: now ${m(k.current)}; target ${k.target}. ${k.check}`),
    '',
    ...(doc.data_gaps.length > 0 ? ['### Data Gaps and Caveats', ...doc.data_gaps.map((g) => `- ${g}`), ''] : []),
    '## Sources',
    '',
    ...doc.sources.map((src) => `[^${src.id}]: \`${src.analysis}\` over ${src.sample_size.toLocaleString('en-US')} rows — ${src.query}`),
    '',
  ];
  return lines.join('\n');
}
