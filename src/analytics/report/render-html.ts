import { escapeXml as esc } from '../../router/eval/svg-plot.ts';
import { directionOf, formatValue } from './format-metric.ts';
import { costTrendSvg, modelMixSvg } from './report-charts.ts';
import { FINDING_AREA_LABEL, type Breakdown, type Metric, type PlanItem, type ReportDocument, type ReportRecommendation } from './report-document.ts';

const CSS = `
body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.8rem;border-bottom:2px solid #2563eb;padding-bottom:.3rem}h2{margin-top:2rem;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left;font-size:.9rem}
th{background:#f3f4f6}.src{font-size:.7rem;vertical-align:super;color:#6b7280;text-decoration:none;margin-left:1px}
.rec{border-left:4px solid #2563eb;background:#f9fafb;padding:.4rem .9rem;margin:.8rem 0}.muted{color:#6b7280}
.gaps{background:#fffbeb;border:1px solid #fcd34d;padding:.5rem 1rem}figure{margin:1rem 0}code{background:#f3f4f6;padding:0 .2rem}
`;

function sourceLink(id: string): string {
  return `<a class="src" href="#src-${esc(id)}" title="source: ${esc(id)}">[${esc(id)}]</a>`;
}

function m(metric: Metric, opts: { signed?: boolean } = {}): string {
  return `${esc(formatValue(metric, opts))}${sourceLink(metric.source)}`;
}

function li(label: string, html: string): string {
  return `<li><strong>${esc(label)}</strong>: ${html}</li>`;
}

/** A reduction metric as "12.3% lower cost" or "4.0% higher cost". */
function dir(metric: Metric, less: string, more: string): string {
  const d = directionOf(metric, less, more);
  return `${m(d.magnitude)} ${d.words}`;
}

function breakdownTable(title: string, items: readonly Breakdown[]): string {
  if (items.length === 0) return `<p class="muted">${esc(title)}: n/a</p>`;
  const shares = items.some((b) => b.share_pct.value !== null);
  return `<table><tr><th>${esc(title)}</th><th>Value</th>${shares ? '<th>Share</th>' : ''}</tr>${items.map((b) => `<tr><td>${esc(b.name)}</td><td>${m(b.value)}</td>${shares ? `<td>${m(b.share_pct)}</td>` : ''}</tr>`).join('')}</table>`;
}

function recommendation(r: ReportRecommendation): string {
  return `<div class="rec"><h4>${esc(r.category)}</h4><ul>${[
    li('Current State', esc(r.current_state)),
    li('Recommended Change', esc(r.recommended_change)),
    li('Traffic It Touches', esc(r.scope)),
    li(
      'Expected Impact',
      `${esc(r.expected_impact)} (cost ${m(r.cost_change_pct, { signed: true })}, quality ${m(r.quality_change, { signed: true })}, latency ${m(r.latency_change_pct, { signed: true })}, saves ${m(r.savings_usd)})`,
    ),
    li('Implementation Effort', esc(r.effort)),
    li('Risk Level', esc(r.risk)),
    li(
      'Risk Assessment',
      esc(
        `quality — ${r.risk_assessment.quality}; performance — ${r.risk_assessment.performance}; cost — ${r.risk_assessment.cost}. Mitigation: ${r.risk_assessment.mitigations.join('; ')}`,
      ),
    ),
    li('Validation Criteria', esc(r.validation_criteria.join('; '))),
    ...(r.rule ? [li('Apply', `<code>aigw rules apply ${esc(r.id)}</code>`)] : []),
  ].join('')}</ul></div>`;
}

function ruleSet(rules: readonly ReportRecommendation[]): string {
  if (rules.length === 0) return '<p class="muted">No rule change meets the constraints on this history.</p>';
  return rules
    .map((r) => `<h4><code>${esc(r.id)}</code>: ${esc(r.category)}</h4><p>${esc(r.rationale)}</p><pre><code>${esc(r.rule ?? '')}</code></pre>`)
    .join('');
}

function bottlenecks(doc: ReportDocument): string {
  const items = doc.current_state.bottlenecks;
  return `<h3>Bottlenecks</h3><ul>${items.length > 0 ? items.map((f) => li(FINDING_AREA_LABEL[f.area], `${esc(f.finding)}${sourceLink(f.metric.source)}`)).join('') : '<li>n/a (no requests in the window)</li>'}</ul>`;
}

function decisions(doc: ReportDocument): string {
  const d = doc.current_state.decisions;
  const items = [
    li(
      'Decision Accuracy',
      `${m(d.optimal_share_pct)} of ${m(d.analyzed)} rated decisions chose the hindsight-best model under goal ${esc(doc.parameters.goal)}`,
    ),
    li('Missed Savings', `${m(d.missed_savings_usd)} (${m(d.missed_savings_share_pct)} of their spend)`),
  ];
  const byType = d.by_task_type.length
    ? `<table><tr><th>Task type</th><th>Rated decisions</th><th>Optimal</th><th>Missed savings</th><th>Best in hindsight</th></tr>${d.by_task_type
        .map(
          (t) =>
            `<tr><td>${esc(t.task_type)}</td><td>${m(t.analyzed)}</td><td>${m(t.optimal_share_pct)}</td><td>${m(t.missed_savings_usd)}</td><td>${esc(t.best_model)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const rules = d.rules.length
    ? `<table><tr><th>Rule</th><th>Fires</th><th>Quality</th><th>Cost/request</th><th>Latency</th></tr>${d.rules
        .map(
          (r) =>
            `<tr><td>${esc(r.rule)}</td><td>${m(r.fires)}</td><td>${m(r.avg_quality)}</td><td>${m(r.avg_cost_usd)}</td><td>${m(r.avg_latency_ms)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">No configured rule fired in this window.</p>';
  const ab = d.ab_tests.length
    ? `<h4>A/B Splits</h4><ul>${d.ab_tests.map((t) => li(t.rule, `applied ${m(t.applied_fires)} vs holdout ${m(t.holdout_fires)}, quality ${m(t.quality_delta, { signed: true })}, cost ${m(t.cost_delta_usd, { signed: true })}/request — ${esc(t.verdict)}`)).join('')}</ul>`
    : '';
  return `<h3>Routing Decisions</h3><ul>${items.join('')}</ul>${byType}<h4>Rule Effectiveness</h4>${rules}${ab}`;
}

function costPlan(doc: ReportDocument): string {
  const p = doc.opportunities.cost_reduction_plan;
  const trade = p.trade_offs
    .map((t) => li(`At quality floor ${t.quality_floor}`, `${dir(t.expected_reduction_pct, 'lower cost', 'higher cost')}, quality ${m(t.expected_quality)}`))
    .join('');
  const scenarios = doc.opportunities.trade_off_scenarios;
  const table = scenarios.length
    ? `<h3>Trade-off Scenarios (the same search under each goal)</h3><table><tr><th>Goal</th><th>Changes</th><th>Cost/request</th><th>Quality</th><th>Latency</th><th>Cost change</th></tr>${scenarios
        .map(
          (r) =>
            `<tr><td>${esc(r.goal)}${r.goal === doc.parameters.goal ? ' (chosen)' : ''}</td><td>${m(r.recommendations)}</td><td>${m(r.avg_cost_usd)}</td><td>${m(r.avg_quality)}</td><td>${m(r.avg_latency_ms)}</td><td>${m(r.cost_change_pct, { signed: true })}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<h3>Cost Reduction Plan (target ${esc(formatValue(p.target_pct))})</h3><p>${esc(p.statement)}</p>${trade ? `<ul>${trade}</ul>` : ''}${table}`;
}

function recommendations(items: readonly ReportRecommendation[]): string {
  return items.length === 0 ? '<p class="muted">None found.</p>' : items.map(recommendation).join('');
}

function plan(items: readonly PlanItem[]): string {
  if (items.length === 0) return '<p class="muted">Nothing planned for this phase.</p>';
  return `<ul>${items.map((p) => `<li>${esc(p.action)} <span class="muted">— effort ${esc(p.effort)}, risk ${esc(p.risk)}, ${esc(p.timeline)}</span></li>`).join('')}</ul>`;
}

function matrix(doc: ReportDocument): string {
  const rows = doc.routing_rules.model_selection_matrix;
  if (rows.length === 0) return '<p class="muted">No task type has enough requests with quality signals to choose a model for it.</p>';
  return `<table><tr><th>Task type</th><th>Complexity</th><th>Model</th><th>Current model</th><th>Expected quality</th><th>Expected cost/request</th><th>Requests</th></tr>${rows
    .map(
      (c) =>
        `<tr><td>${esc(c.task_type)}</td><td>${esc(c.complexity_band)}</td><td><strong>${esc(c.model)}</strong></td><td>${esc(c.current_model ?? 'n/a')}</td><td>${m(c.expected_quality)}</td><td>${m(c.expected_cost_usd)}</td><td>${m(c.requests)}</td></tr>`,
    )
    .join('')}</table>`;
}

/** The report as one self-contained HTML page: inline CSS and SVG, no script, no external request. */
export function renderReportHtml(doc: ReportDocument): string {
  const s = doc.executive_summary;
  const p = doc.current_state.performance;
  const c = doc.current_state.cost;
  const q = doc.current_state.quality;
  const o = doc.expected_outcomes;
  const charts = [costTrendSvg(doc), modelMixSvg(doc)].filter((x): x is string => x !== undefined);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.title)}</title><style>${CSS}</style></head><body>
<h1>${esc(doc.title)}</h1>
<p class="muted">Generated ${esc(doc.generated_at)} · goal <strong>${esc(doc.parameters.goal)}</strong> · ${doc.parameters.cost_threshold_usd === null ? 'no cost cap' : `cost &lt; ${doc.parameters.cost_threshold_usd} USD`} · quality &gt; ${doc.parameters.quality_threshold ?? 'none'}</p>
<h2>Executive Summary</h2><ul>
${li('Analysis Period', esc(s.analysis_period))}${li('Total Requests Analyzed', `${m(s.total_requests)} (${m(s.routed_requests)} routed by the router)`)}${li('Current Average Cost', m(s.avg_cost_usd))}
${li('Current Average Quality', m(s.avg_quality))}${li('Optimization Potential', `${dir(s.optimization_potential_pct, 'lower cost', 'higher cost')} on the ${m(s.routed_requests)} routed requests (share of their spend; the changes touch only routed traffic)`)}${li('Recommended Actions', m(s.recommended_actions))}</ul>
<h2>Current State Analysis</h2>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
<h3>Performance Metrics</h3><ul>
${li('Average Routing Latency', `${m(p.avg_routing_latency_ms)} (p95 ${m(p.p95_routing_latency_ms)}; whole request ${m(p.avg_request_latency_ms)})`)}${li('Success Rate', `${m(p.success_rate_pct)} (failures ${m(p.failure_rate_pct)})`)}${li('Peak Usage', esc(p.peak_usage))}</ul>
${breakdownTable('Model (requests)', p.model_distribution)}
<h3>Cost Analysis</h3><ul>
${li('Total Spend', m(c.total_spend_usd))}${li('Budget Utilization', m(c.budget_utilization_pct))}${li('Prices', esc(c.price_sources))}${li('Cost Trend', `${esc(c.trend_direction)} (${m(c.trend_change_pct, { signed: true })})`)}</ul>
${breakdownTable('Task type (cost)', c.by_task_type)}${breakdownTable('Model (cost)', c.by_model)}${breakdownTable('Model tier (cost)', c.by_tier)}
<h3>Quality Metrics</h3><ul>
${li('Average Quality Score', `${m(q.avg_quality)}/1.0`)}${li('Task Completion Rate', m(q.completion_rate_pct))}${li('Quality–Cost Correlation', m(q.quality_cost_correlation))}</ul>
${breakdownTable('Model (quality)', q.by_model)}
${bottlenecks(doc)}
${decisions(doc)}
<h2>Optimization Opportunities</h2>
<h3>High-Impact Improvements</h3>${recommendations(doc.opportunities.high)}
<h3>Medium-Impact Improvements</h3>${recommendations(doc.opportunities.medium)}
<h3>Low-Impact Improvements</h3>${recommendations(doc.opportunities.low)}
${costPlan(doc)}
<h2>Recommended Routing Rules</h2>
<h3>Updated Rule Set</h3>${ruleSet(doc.routing_rules.rules)}
<h3>Model Selection Matrix</h3>${matrix(doc)}
<h2>Implementation Plan</h2>
<h3>Phase 1: Immediate Changes (Week 1)</h3>${plan(doc.implementation_plan.phase_1)}
<h3>Phase 2: Tactical Improvements (Weeks 2-4)</h3>${plan(doc.implementation_plan.phase_2)}
<h3>Phase 3: Strategic Enhancements (Months 2-3)</h3>${plan(doc.implementation_plan.phase_3)}
<h2>Expected Outcomes</h2><ul>
${li('Cost Change', `${dir(o.cost_reduction_pct, 'lower', 'higher')} than the routed requests' spend (${dir(o.cost_reduction_usd, 'saved', 'added')} over the analysis period)`)}${li('Performance Change', `${dir(o.latency_improvement_pct, 'faster', 'slower')} on average over the routed requests`)}
${li('Quality Maintenance', `${m(o.quality_change, { signed: true })} quality change`)}${li('ROI Timeline', esc(o.roi_timeline))}</ul>
<h2>Monitoring and Validation</h2><ul>${doc.monitoring.map((k) => li(k.name, `now ${m(k.current)}; target ${esc(k.target)}. ${esc(k.check)}`)).join('')}</ul>
${doc.data_gaps.length > 0 ? `<div class="gaps"><h3>Data Gaps and Caveats</h3><ul>${doc.data_gaps.map((g) => `<li>${esc(g)}</li>`).join('')}</ul></div>` : ''}
<h2>Sources</h2><table><tr><th>Id</th><th>Analysis</th><th>Rows</th><th>Query</th></tr>${doc.sources
    .map(
      (src) =>
        `<tr id="src-${esc(src.id)}"><td>${esc(src.id)}</td><td><code>${esc(src.analysis)}</code></td><td>${src.sample_size.toLocaleString('en-US')}</td><td>${esc(src.query)}</td></tr>`,
    )
    .join('')}</table>
</body></html>
`;
}
