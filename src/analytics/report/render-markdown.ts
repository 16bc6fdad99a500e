import { formatValue } from './format-metric.ts';
// The HTML renderer imports the same phrases: both say the same sentences (report-phrases.ts), each in its own markup.
import {
  alertLines,
  costLines,
  decisionLines,
  dir,
  evaluationText,
  executiveSummaryLines,
  impactOf,
  modelMixLines,
  performanceLines,
  qualityLines,
  riskLines,
  routerLines,
  type Fmt,
  type Line,
} from './report-phrases.ts';
import { FINDING_AREA_LABEL, type Metric, type PlanItem, type ReportDocument, type ReportRecommendation } from './report-document.ts';

/**
 * Markdown lines for a terminal or a README: numbers print bare, and each section ends with one
 * "Sources:" line naming the analyses its numbers came from (defined in the Sources section), instead
 * of a footnote on every number. The JSON keeps each number's source; HTML shows it on hover.
 */
class MarkdownBuilder implements Fmt {
  readonly lines: string[] = [];
  private readonly used = new Set<string>();

  v(metric: Metric, opts: { signed?: boolean } = {}): string {
    this.used.add(metric.source);
    return formatValue(metric, opts);
  }

  t(text: string): string {
    return text;
  }

  /** Notes a source whose numbers are printed as text (peak usage, findings, the router status). */
  cite(id: string): void {
    this.used.add(id);
  }

  /** Closes the section before with its Sources line, then starts the next. */
  heading(text: string): void {
    this.flushSources();
    this.push(text);
  }

  push(...lines: string[]): void {
    this.lines.push(...lines);
  }

  bullets(lines: readonly Line[]): void {
    this.push(...lines.map(([label, body]) => `- **${label}**: ${body}`));
  }

  flushSources(): void {
    if (this.used.size === 0) return;
    while (this.lines.at(-1) === '') this.lines.pop();
    // A blank line first, so Markdown does not fold the line into the list above it.
    this.push('', `_Sources: ${[...this.used].join(', ')}_`, '');
    this.used.clear();
  }
}

export function renderRecommendationMarkdown(r: ReportRecommendation, heading = '###', f: Fmt = new MarkdownBuilder()): string {
  return [
    `${heading} ${r.category}`,
    `- **Current State**: ${r.current_state}`,
    `- **Recommended Change**: ${r.recommended_change}`,
    `- **Traffic It Touches**: ${r.scope}`,
    `- **Expected Impact**: ${impactOf(f, r)}`,
    `- **Implementation Effort**: ${r.effort}`,
    `- **Risk Level**: ${r.risk} (see Risk Assessment)`,
    `- **Validation Criteria**: ${r.validation_criteria.join('; ')}`,
    ...(r.rule ? [`- **Apply**: \`aigw rules apply ${r.id}\` (or \`--percent 20\` for an A/B split)`] : []),
  ].join('\n');
}

/** The rule set as config: each rule's YAML with its one-line rationale (the full format is under Opportunities). */
function ruleSet(rules: readonly ReportRecommendation[]): string {
  if (rules.length === 0) return '_No rule change meets the constraints on this history._';
  return rules.map((r) => [`#### \`${r.id}\`: ${r.category}`, r.rationale, '', '```yaml', (r.rule ?? '').trimEnd(), '```'].join('\n')).join('\n\n');
}

function bottlenecksSection(b: MarkdownBuilder, doc: ReportDocument): void {
  const items = doc.current_state.bottlenecks;
  b.heading('### Bottlenecks');
  for (const f of items) b.cite(f.metric.source);
  b.push(...(items.length > 0 ? items.map((f) => `- **${FINDING_AREA_LABEL[f.area]}**: ${f.finding}`) : ['- n/a (no requests in the window)']), '');
}

function decisionsSection(b: MarkdownBuilder, doc: ReportDocument): void {
  const d = doc.current_state.decisions;
  b.heading('### Routing Decisions');
  b.bullets(decisionLines(b, doc));
  b.push(
    ...d.by_task_type
      .slice(0, 6)
      .map(
        (t) =>
          `  - ${t.task_type}: ${b.v(t.optimal_share_pct)} of ${b.v(t.analyzed)} rated decisions optimal, missed ${b.v(t.missed_savings_usd)}, best in hindsight mostly ${t.best_model}`,
      ),
  );
  if (d.rules.length > 0) {
    b.push(
      '- **Rule Effectiveness**:',
      ...d.rules.map((r) => `  - ${r.rule}: ${b.v(r.fires)} fires, quality ${b.v(r.avg_quality)}, ${b.v(r.avg_cost_usd)}/request, ${b.v(r.avg_latency_ms)}`),
    );
  } else {
    b.push('- **Rule Effectiveness**: no configured rule fired in this window');
  }
  if (d.ab_tests.length > 0) {
    b.push(
      '- **A/B Splits**:',
      ...d.ab_tests.map(
        (t) =>
          `  - ${t.rule}: applied ${b.v(t.applied_fires)} vs holdout ${b.v(t.holdout_fires)} requests, quality ${b.v(t.quality_delta, { signed: true })}, cost ${b.v(t.cost_delta_usd, { signed: true })}/request — ${t.verdict}`,
      ),
    );
  }
  b.push('');
}

function costPlanSection(b: MarkdownBuilder, doc: ReportDocument): void {
  const p = doc.opportunities.cost_reduction_plan;
  b.heading(`### Cost Reduction Plan (target ${formatValue(p.target_pct)} of the routed requests' spend)`);
  b.push(`- ${p.statement}`);
  if (p.recommendation_ids.length > 0)
    b.push(
      `- **Changes**: ${p.recommendation_ids.map((id) => `\`${id}\``).join(', ')} — expected ${dir(b, p.expected_reduction_pct, 'lower', 'higher')} routed spend at quality ${b.v(p.expected_quality)}`,
    );
  for (const t of p.trade_offs)
    b.push(
      `- **At quality floor ${t.quality_floor}**: ${dir(b, t.expected_reduction_pct, 'lower', 'higher')} routed spend, quality ${b.v(t.expected_quality)}`,
    );
  b.push('');
}

function scenarioTable(b: MarkdownBuilder, doc: ReportDocument): void {
  const rows = doc.opportunities.trade_off_scenarios;
  if (rows.length === 0) return;
  b.heading('### Trade-off Scenarios (the same search under each goal)');
  b.push(
    '| Goal | Changes | Cost/request | Quality | Latency | Cost change (of routed spend) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.goal}${r.goal === doc.parameters.goal ? ' (chosen)' : ''} | ${b.v(r.recommendations)} | ${b.v(r.avg_cost_usd)} | ${b.v(r.avg_quality)} | ${b.v(r.avg_latency_ms)} | ${b.v(r.cost_change_pct, { signed: true })} |`,
    ),
    '',
  );
}

function recommendationList(b: MarkdownBuilder, items: readonly ReportRecommendation[], empty: string): string {
  return items.length === 0 ? `_${empty}_` : items.map((r) => renderRecommendationMarkdown(r, '####', b)).join('\n\n');
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

function matrixTable(b: MarkdownBuilder, doc: ReportDocument): string {
  const rows = doc.routing_rules.model_selection_matrix;
  if (rows.length === 0) return '_No task type has enough requests with quality signals to choose a model for it._';
  return [
    '| Task type | Complexity | Model | Current model | Expected quality | Expected cost/request | Requests |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (c) =>
        `| ${escapeCell(c.task_type)} | ${escapeCell(c.complexity_band)} | ${escapeCell(c.model)} | ${escapeCell(c.current_model ?? 'n/a')} | ${b.v(c.expected_quality)} | ${b.v(c.expected_cost_usd)} | ${b.v(c.requests)} |`,
    ),
  ].join('\n');
}

function modelMixSection(b: MarkdownBuilder, doc: ReportDocument): void {
  b.heading('## Model Mix Optimization');
  const lines = modelMixLines(b, doc);
  if (lines.length === 0) b.push('_No routed requests to mix._');
  else b.push('### Recommended Model Distribution', '');
  b.bullets(lines);
  b.push('', 'The task-to-model mapping behind it is the Model Selection Matrix above.', '');
}

function riskSection(b: MarkdownBuilder, doc: ReportDocument): void {
  b.heading('## Risk Assessment');
  const rules = doc.routing_rules.rules;
  if (rules.length === 0) b.push('_No change proposed: nothing to assess._', '');
  for (const r of rules) {
    b.heading(`### \`${r.id}\`: ${r.category} (risk ${r.risk})`);
    b.cite(r.savings_usd.source);
    b.bullets(riskLines(b, r));
    b.push('');
  }
}

function monitoringStatusSection(b: MarkdownBuilder, doc: ReportDocument): void {
  const r = doc.monitoring_status.router;
  b.heading('### Router Learning');
  b.cite('router_status');
  b.bullets(routerLines(b, doc));
  if (r.outcomes.length === 0) b.push('- **Outcomes per Model and Task Type**: none scored yet');
  else
    b.push(
      '',
      '| Model | Task type | Outcomes | Mean score | Explored |',
      '| --- | --- | --- | --- | --- |',
      ...r.outcomes.map((o) => `| ${escapeCell(o.model)} | ${escapeCell(o.task_type)} | ${o.outcomes} | ${o.mean_score.toFixed(3)} | ${o.explored} |`),
      '',
    );
  b.push(
    `- **Candidate Evaluations** (\`aigw router train --from-store\`)${r.evaluations.length === 0 ? ': none yet' : ':'}`,
    ...r.evaluations.map((e) => `  - ${evaluationText(e)}`),
    '',
  );
  b.heading('### Alerts');
  b.cite('alerts');
  b.bullets(alertLines(b, doc));
  b.push('');
}

/** The report as Markdown in the seed's output format; one Sources line per section. */
export function renderReportMarkdown(doc: ReportDocument): string {
  const o = doc.expected_outcomes;
  const params = doc.parameters;
  const b = new MarkdownBuilder();
  b.push(
    `# ${doc.title}`,
    '',
    `_Generated ${doc.generated_at} · goal **${params.goal}** · constraints: ${params.cost_threshold_usd === null ? 'no cost cap' : `cost < $${params.cost_threshold_usd}`}, quality > ${params.quality_threshold ?? 'none'}${params.task_types.length ? ` · task types: ${params.task_types.join(', ')}` : ''}_`,
    '',
  );
  b.heading('## Executive Summary');
  b.bullets(executiveSummaryLines(b, doc));
  b.push('');
  b.heading('## Current State Analysis');
  b.push('');
  b.heading('### Performance Metrics');
  b.cite('request_patterns');
  b.bullets(performanceLines(b, doc));
  b.push('');
  b.heading('### Cost Analysis');
  b.bullets(costLines(b, doc));
  b.push('');
  b.heading('### Quality Metrics');
  b.bullets(qualityLines(b, doc));
  b.push('');
  bottlenecksSection(b, doc);
  decisionsSection(b, doc);
  b.heading('## Optimization Opportunities');
  b.push('');
  b.heading('### High-Impact Improvements');
  b.push(recommendationList(b, doc.opportunities.high, 'None found.'), '');
  b.heading('### Medium-Impact Improvements');
  b.push(recommendationList(b, doc.opportunities.medium, 'None found.'), '');
  b.heading('### Low-Impact Improvements');
  b.push(recommendationList(b, doc.opportunities.low, 'None found.'), '');
  costPlanSection(b, doc);
  scenarioTable(b, doc);
  b.heading('## Recommended Routing Rules');
  b.push('');
  b.heading('### Updated Rule Set');
  b.push(ruleSet(doc.routing_rules.rules), '');
  b.heading('### Model Selection Matrix');
  b.push(matrixTable(b, doc), '');
  modelMixSection(b, doc);
  b.heading('## Implementation Plan');
  b.push('');
  b.heading('### Phase 1: Immediate Changes (Week 1)');
  b.push(planList(doc.implementation_plan.phase_1), '');
  b.heading('### Phase 2: Tactical Improvements (Weeks 2-4)');
  b.push(planList(doc.implementation_plan.phase_2), '');
  b.heading('### Phase 3: Strategic Enhancements (Months 2-3)');
  b.push(planList(doc.implementation_plan.phase_3), '');
  riskSection(b, doc);
  b.heading('## Expected Outcomes');
  b.push(
    `- **Cost Change**: ${dir(b, o.cost_reduction_pct, 'lower', 'higher')} than the routed requests' spend (${dir(b, o.cost_reduction_usd, 'saved', 'added')} over the analysis period)`,
    `- **Performance Change**: ${dir(b, o.latency_improvement_pct, 'faster', 'slower')} on average over the routed requests`,
    `- **Quality Maintenance**: ${b.v(o.quality_change, { signed: true })} average quality change over the routed requests`,
    `- **ROI Timeline**: ${o.roi_timeline}`,
    '',
  );
  b.heading('## Monitoring and Validation');
  b.push(...doc.monitoring.map((k) => `- **${k.name}**: now ${b.v(k.current)}; target ${k.target}. ${k.check}`), '');
  monitoringStatusSection(b, doc);
  if (doc.data_gaps.length > 0) {
    b.heading('### Data Gaps and Caveats');
    b.push(...doc.data_gaps.map((g) => `- ${g}`), '');
  }
  b.heading('## Sources');
  b.push('', ...doc.sources.map((src) => `- **${src.id}**: \`${src.analysis}\` over ${src.sample_size.toLocaleString('en-US')} rows — ${src.query}`), '');
  return b.lines.join('\n');
}
