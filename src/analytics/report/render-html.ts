import { escapeXml as esc } from '../../router/eval/svg-plot.ts';
import { formatValue } from './format-metric.ts';
import {
  alertLines,
  costLines,
  decisionLines,
  dir as dirOf,
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
import { costTrendSvg, modelMixSvg } from './report-charts.ts';
import { FINDING_AREA_LABEL, type Breakdown, type Metric, type PlanItem, type ReportDocument, type ReportRecommendation } from './report-document.ts';

const CSS = `
body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.8rem;border-bottom:2px solid #2563eb;padding-bottom:.3rem}h2{margin-top:2rem;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left;font-size:.9rem}
th{background:#f3f4f6}.src{font-size:.7rem;vertical-align:super;color:#6b7280;text-decoration:none;margin-left:2px}.num{color:inherit;text-decoration:none;border-bottom:1px dotted #9ca3af}
.rec{border-left:4px solid #2563eb;background:#f9fafb;padding:.4rem .9rem;margin:.8rem 0}.muted{color:#6b7280}
.gaps{background:#fffbeb;border:1px solid #fcd34d;padding:.5rem 1rem}figure{margin:1rem 0}code{background:#f3f4f6;padding:0 .2rem}
`;

/** A finding's source: hover shows it, the link leads to its row in the Sources table. */
function sourceLink(id: string): string {
  return `<a class="src" href="#src-${esc(id)}" title="source: ${esc(id)}">ⓘ</a>`;
}

/** Numbers carry their source only on hover (and as a link to the Sources row), never as visible footnotes. */
const f: Fmt = {
  v: (metric, opts = {}) => `<a class="num" href="#src-${esc(metric.source)}" title="source: ${esc(metric.source)}">${esc(formatValue(metric, opts))}</a>`,
  t: esc,
};
const m = (metric: Metric, opts: { signed?: boolean } = {}): string => f.v(metric, opts);

function li(label: string, html: string): string {
  return `<li><strong>${esc(label)}</strong>: ${html}</li>`;
}

function ul(lines: readonly Line[]): string {
  return `<ul>${lines.map(([label, body]) => li(label, body)).join('')}</ul>`;
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
    li('Expected Impact', impactOf(f, r)),
    li('Implementation Effort', esc(r.effort)),
    li('Risk Level', `${esc(r.risk)} (see Risk Assessment)`),
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
  const byType = d.by_task_type.length
    ? `<table><tr><th>Task type</th><th>Rated decisions</th><th>Optimal (of them)</th><th>Missed savings</th><th>Best in hindsight</th></tr>${d.by_task_type
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
  return `<h3>Routing Decisions</h3>${ul(decisionLines(f, doc))}${byType}<h4>Rule Effectiveness</h4>${rules}${ab}`;
}

function costPlan(doc: ReportDocument): string {
  const p = doc.opportunities.cost_reduction_plan;
  const trade = p.trade_offs
    .map((t) =>
      li(`At quality floor ${t.quality_floor}`, `${dirOf(f, t.expected_reduction_pct, 'lower', 'higher')} routed spend, quality ${m(t.expected_quality)}`),
    )
    .join('');
  const scenarios = doc.opportunities.trade_off_scenarios;
  const table = scenarios.length
    ? `<h3>Trade-off Scenarios (the same search under each goal)</h3><table><tr><th>Goal</th><th>Changes</th><th>Cost/request</th><th>Quality</th><th>Latency</th><th>Cost change (of routed spend)</th></tr>${scenarios
        .map(
          (r) =>
            `<tr><td>${esc(r.goal)}${r.goal === doc.parameters.goal ? ' (chosen)' : ''}</td><td>${m(r.recommendations)}</td><td>${m(r.avg_cost_usd)}</td><td>${m(r.avg_quality)}</td><td>${m(r.avg_latency_ms)}</td><td>${m(r.cost_change_pct, { signed: true })}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  return `<h3>Cost Reduction Plan (target ${esc(formatValue(p.target_pct))} of the routed requests' spend)</h3><p>${esc(p.statement)}</p>${trade ? `<ul>${trade}</ul>` : ''}${table}`;
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

function modelMix(doc: ReportDocument): string {
  const lines = modelMixLines(f, doc);
  const body = lines.length === 0 ? '<p class="muted">No routed requests to mix.</p>' : `<h3>Recommended Model Distribution</h3>${ul(lines)}`;
  return `<h2>Model Mix Optimization</h2>${body}<p class="muted">The task-to-model mapping behind it is the Model Selection Matrix above.</p>`;
}

function risks(doc: ReportDocument): string {
  const rules = doc.routing_rules.rules;
  const body = rules.length
    ? rules.map((r) => `<h3><code>${esc(r.id)}</code>: ${esc(r.category)} (risk ${esc(r.risk)})</h3>${ul(riskLines(f, r))}`).join('')
    : '<p class="muted">No change proposed: nothing to assess.</p>';
  return `<h2>Risk Assessment</h2>${body}`;
}

function monitoringStatus(doc: ReportDocument): string {
  const r = doc.monitoring_status.router;
  const outcomes = r.outcomes.length
    ? `<table><tr><th>Model</th><th>Task type</th><th>Outcomes</th><th>Mean score</th><th>Explored</th></tr>${r.outcomes
        .map(
          (o) => `<tr><td>${esc(o.model)}</td><td>${esc(o.task_type)}</td><td>${o.outcomes}</td><td>${o.mean_score.toFixed(3)}</td><td>${o.explored}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="muted">No scored outcomes yet.</p>';
  const evaluations = r.evaluations.length
    ? `<ul>${r.evaluations.map((e) => `<li>${esc(evaluationText(e))}</li>`).join('')}</ul>`
    : '<p class="muted">No candidate evaluated yet (aigw router train --from-store).</p>';
  return (
    `<h3>Router Learning${sourceLink('router_status')}</h3>${ul(routerLines(f, doc))}${outcomes}<h4>Candidate Evaluations</h4>${evaluations}` +
    `<h3>Alerts${sourceLink('alerts')}</h3>${ul(alertLines(f, doc))}`
  );
}

/** The report as one self-contained HTML page: inline CSS and SVG, no script, no external request. */
export function renderReportHtml(doc: ReportDocument): string {
  const o = doc.expected_outcomes;
  const charts = [costTrendSvg(doc), modelMixSvg(doc)].filter((x): x is string => x !== undefined);
  const p = doc.current_state.performance;
  const c = doc.current_state.cost;
  const q = doc.current_state.quality;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.title)}</title><style>${CSS}</style></head><body>
<h1>${esc(doc.title)}</h1>
<p class="muted">Generated ${esc(doc.generated_at)} · goal <strong>${esc(doc.parameters.goal)}</strong> · ${doc.parameters.cost_threshold_usd === null ? 'no cost cap' : `cost &lt; ${doc.parameters.cost_threshold_usd} USD`} · quality &gt; ${doc.parameters.quality_threshold ?? 'none'} · hover a number for its source</p>
<h2>Executive Summary</h2>${ul(executiveSummaryLines(f, doc))}
<h2>Current State Analysis</h2>
${charts.map((svg) => `<figure>${svg}</figure>`).join('\n')}
<h3>Performance Metrics</h3>${ul(performanceLines(f, doc).filter(([label]) => !label.startsWith('Model Distribution')))}
${breakdownTable('Model (requests that reached a model)', p.model_distribution)}
<h3>Cost Analysis</h3>${ul(costLines(f, doc).filter(([label]) => !label.startsWith('Cost per')))}
${breakdownTable('Task type (share of window spend)', c.by_task_type)}${breakdownTable('Model (share of window spend)', c.by_model)}${breakdownTable('Model tier (share of window spend)', c.by_tier)}
<h3>Quality Metrics</h3>${ul(qualityLines(f, doc).filter(([label]) => !label.startsWith('Quality by Model')))}
${breakdownTable('Model (average quality over its rated requests)', q.by_model)}
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
${modelMix(doc)}
<h2>Implementation Plan</h2>
<h3>Phase 1: Immediate Changes (Week 1)</h3>${plan(doc.implementation_plan.phase_1)}
<h3>Phase 2: Tactical Improvements (Weeks 2-4)</h3>${plan(doc.implementation_plan.phase_2)}
<h3>Phase 3: Strategic Enhancements (Months 2-3)</h3>${plan(doc.implementation_plan.phase_3)}
${risks(doc)}
<h2>Expected Outcomes</h2><ul>
${li('Cost Change', `${dirOf(f, o.cost_reduction_pct, 'lower', 'higher')} than the routed requests' spend (${dirOf(f, o.cost_reduction_usd, 'saved', 'added')} over the analysis period)`)}${li('Performance Change', `${dirOf(f, o.latency_improvement_pct, 'faster', 'slower')} on average over the routed requests`)}
${li('Quality Maintenance', `${m(o.quality_change, { signed: true })} average quality change over the routed requests`)}${li('ROI Timeline', esc(o.roi_timeline))}</ul>
<h2>Monitoring and Validation</h2><ul>${doc.monitoring.map((k) => li(k.name, `now ${m(k.current)}; target ${esc(k.target)}. ${esc(k.check)}`)).join('')}</ul>
${monitoringStatus(doc)}
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
