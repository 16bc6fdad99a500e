import { directionOf, formatValue } from './format-metric.ts';
import { FINDING_AREA_LABEL, type Breakdown, type Metric, type PlanItem, type ReportDocument, type ReportRecommendation } from './report-document.ts';

/** A number with its source as a Markdown footnote reference, defined in the Sources section. */
function m(metric: Metric, opts: { signed?: boolean } = {}): string {
  return `${formatValue(metric, opts)}[^${metric.source}]`;
}

/** A reduction metric as "12.3% lower cost" or "4.0% higher cost". */
function dir(metric: Metric, less: string, more: string): string {
  const d = directionOf(metric, less, more);
  return `${m(d.magnitude)} ${d.words}`;
}

function breakdown(items: readonly Breakdown[], limit = 6): string {
  if (items.length === 0) return 'n/a';
  const shown = items.slice(0, limit).map((b) => `${b.name} ${m(b.value)}${b.share_pct.value === null ? '' : ` (${formatValue(b.share_pct)})`}`);
  return items.length > limit ? `${shown.join(', ')}, and ${items.length - limit} more` : shown.join(', ');
}

export function renderRecommendationMarkdown(r: ReportRecommendation, heading = '###'): string {
  return [
    `${heading} ${r.category}`,
    `- **Current State**: ${r.current_state}`,
    `- **Recommended Change**: ${r.recommended_change}`,
    `- **Traffic It Touches**: ${r.scope}`,
    `- **Expected Impact**: ${r.expected_impact} (cost ${m(r.cost_change_pct, { signed: true })}, quality ${m(r.quality_change, { signed: true })}, latency ${m(r.latency_change_pct, { signed: true })}, saves ${m(r.savings_usd)})`,
    `- **Implementation Effort**: ${r.effort}`,
    `- **Risk Level**: ${r.risk}`,
    `- **Risk Assessment**: quality — ${r.risk_assessment.quality}; performance — ${r.risk_assessment.performance}; cost — ${r.risk_assessment.cost}. Mitigation: ${r.risk_assessment.mitigations.join('; ')}`,
    `- **Validation Criteria**: ${r.validation_criteria.join('; ')}`,
    ...(r.rule ? [`- **Apply**: \`aigw rules apply ${r.id}\` (or \`--percent 20\` for an A/B split)`] : []),
  ].join('\n');
}

/** The rule set as config: each rule's YAML with its one-line rationale (the full format is under Opportunities). */
function ruleSet(rules: readonly ReportRecommendation[]): string {
  if (rules.length === 0) return '_No rule change meets the constraints on this history._';
  return rules.map((r) => [`#### \`${r.id}\`: ${r.category}`, r.rationale, '', '```yaml', (r.rule ?? '').trimEnd(), '```'].join('\n')).join('\n\n');
}

/** The seed's step 3: each bottleneck a sentence, footnoted with the analysis its numbers came from. */
function bottlenecksSection(doc: ReportDocument): string[] {
  const items = doc.current_state.bottlenecks;
  return [
    '### Bottlenecks',
    ...(items.length > 0 ? items.map((f) => `- **${FINDING_AREA_LABEL[f.area]}**: ${f.finding}[^${f.metric.source}]`) : ['- n/a (no requests in the window)']),
    '',
  ];
}

function decisionsSection(doc: ReportDocument): string[] {
  const d = doc.current_state.decisions;
  const lines = [
    '### Routing Decisions',
    `- **Decision Accuracy**: ${m(d.optimal_share_pct)} of ${m(d.analyzed)} rated decisions chose the model that was best in hindsight under goal ${doc.parameters.goal}`,
    `- **Missed Savings**: ${m(d.missed_savings_usd)} (${m(d.missed_savings_share_pct)} of their spend)`,
    ...d.by_task_type
      .slice(0, 6)
      .map(
        (t) =>
          `  - ${t.task_type}: ${m(t.optimal_share_pct)} optimal over ${m(t.analyzed)}, missed ${m(t.missed_savings_usd)}, best in hindsight mostly ${t.best_model}`,
      ),
  ];
  if (d.rules.length > 0) {
    lines.push(
      '- **Rule Effectiveness**:',
      ...d.rules.map((r) => `  - ${r.rule}: ${m(r.fires)} fires, quality ${m(r.avg_quality)}, ${m(r.avg_cost_usd)}/request, ${m(r.avg_latency_ms)}`),
    );
  } else {
    lines.push('- **Rule Effectiveness**: no configured rule fired in this window');
  }
  if (d.ab_tests.length > 0) {
    lines.push(
      '- **A/B Splits**:',
      ...d.ab_tests.map(
        (t) =>
          `  - ${t.rule}: applied ${m(t.applied_fires)} vs holdout ${m(t.holdout_fires)} requests, quality ${m(t.quality_delta, { signed: true })}, cost ${m(t.cost_delta_usd, { signed: true })}/request — ${t.verdict}`,
      ),
    );
  }
  return lines;
}

function costPlanSection(doc: ReportDocument): string[] {
  const p = doc.opportunities.cost_reduction_plan;
  const lines = [`### Cost Reduction Plan (target ${formatValue(p.target_pct)})`, `- ${p.statement}`];
  if (p.recommendation_ids.length > 0)
    lines.push(
      `- **Changes**: ${p.recommendation_ids.map((id) => `\`${id}\``).join(', ')} — expected ${dir(p.expected_reduction_pct, 'lower cost', 'higher cost')} at quality ${m(p.expected_quality)}`,
    );
  for (const t of p.trade_offs)
    lines.push(`- **At quality floor ${t.quality_floor}**: ${dir(t.expected_reduction_pct, 'lower cost', 'higher cost')}, quality ${m(t.expected_quality)}`);
  return lines;
}

function scenarioTable(doc: ReportDocument): string[] {
  const rows = doc.opportunities.trade_off_scenarios;
  if (rows.length === 0) return [];
  return [
    '### Trade-off Scenarios (the same search under each goal)',
    '| Goal | Changes | Cost/request | Quality | Latency | Cost change |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.goal}${r.goal === doc.parameters.goal ? ' (chosen)' : ''} | ${m(r.recommendations)} | ${m(r.avg_cost_usd)} | ${m(r.avg_quality)} | ${m(r.avg_latency_ms)} | ${m(r.cost_change_pct, { signed: true })} |`,
    ),
  ];
}

function recommendationList(items: readonly ReportRecommendation[], empty: string): string {
  return items.length === 0 ? `_${empty}_` : items.map((r) => renderRecommendationMarkdown(r, '####')).join('\n\n');
}

function planList(items: readonly PlanItem[]): string {
  if (items.length === 0) return '_Nothing planned for this phase._';
  return items
    .map((p) => `- ${p.action} — effort ${p.effort}, risk ${p.risk}, ${p.timeline}${p.recommendation_id ? ` (\`${p.recommendation_id}\`)` : ''}`)
    .join('\n');
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
    `_Generated ${doc.generated_at} · goal **${params.goal}** · constraints: ${params.cost_threshold_usd === null ? 'no cost cap' : `cost < $${params.cost_threshold_usd}`}, quality > ${params.quality_threshold ?? 'none'}${params.task_types.length ? ` · task types: ${params.task_types.join(', ')}` : ''}_`,
    '',
    '## Executive Summary',
    `- **Analysis Period**: ${s.analysis_period}`,
    `- **Total Requests Analyzed**: ${m(s.total_requests)} (${m(s.routed_requests)} routed by the router)`,
    `- **Current Average Cost**: ${m(s.avg_cost_usd)}`,
    `- **Current Average Quality**: ${m(s.avg_quality)}`,
    `- **Optimization Potential**: ${dir(s.optimization_potential_pct, 'lower cost', 'higher cost')} on the ${m(s.routed_requests)} routed requests (share of their spend; the changes touch only routed traffic)`,
    `- **Recommended Actions**: ${m(s.recommended_actions)}`,
    '',
    '## Current State Analysis',
    '',
    '### Performance Metrics',
    `- **Average Routing Latency**: ${m(p.avg_routing_latency_ms)} (p95 ${m(p.p95_routing_latency_ms)}; whole request ${m(p.avg_request_latency_ms)})`,
    `- **Success Rate**: ${m(p.success_rate_pct)} (failures ${m(p.failure_rate_pct)})`,
    `- **Model Distribution**: ${breakdown(p.model_distribution)}`,
    `- **Peak Usage**: ${p.peak_usage}${doc.sources.some((x) => x.id === 'request_patterns') ? '[^request_patterns]' : ''}`,
    '',
    '### Cost Analysis',
    `- **Total Spend**: ${m(c.total_spend_usd)}`,
    `- **Cost per Task Type**: ${breakdown(c.by_task_type)}`,
    `- **Cost per Model**: ${breakdown(c.by_model)}`,
    `- **Cost per Model Tier**: ${breakdown(c.by_tier)}`,
    `- **Budget Utilization**: ${m(c.budget_utilization_pct)}`,
    `- **Prices**: ${c.price_sources}`,
    `- **Cost Trend**: ${c.trend_direction} (${m(c.trend_change_pct, { signed: true })})`,
    '',
    '### Quality Metrics',
    `- **Average Quality Score**: ${m(q.avg_quality)}/1.0`,
    `- **Quality by Model**: ${breakdown(q.by_model)}`,
    `- **Task Completion Rate**: ${m(q.completion_rate_pct)}`,
    `- **Quality–Cost Correlation**: ${m(q.quality_cost_correlation)}`,
    '',
    ...bottlenecksSection(doc),
    ...decisionsSection(doc),
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
    ...costPlanSection(doc),
    '',
    ...scenarioTable(doc),
    '',
    '## Recommended Routing Rules',
    '',
    '### Updated Rule Set',
    ruleSet(doc.routing_rules.rules),
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
    `- **Cost Change**: ${dir(o.cost_reduction_pct, 'lower', 'higher')} than the routed requests' spend (${dir(o.cost_reduction_usd, 'saved', 'added')} over the analysis period)`,
    `- **Performance Change**: ${dir(o.latency_improvement_pct, 'faster', 'slower')} on average over the routed requests`,
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
