import { describe, expect, it } from 'vitest';
import { ReportDocument } from './report-document.ts';
import { sampleReportDocument } from './report-document.test-support.ts';
import type { Metric } from './report-document.ts';
import { renderReport } from './render-report.ts';

const SEED_HEADINGS = [
  '# LLM Routing Optimization Report',
  '## Executive Summary',
  '## Current State Analysis',
  '### Performance Metrics',
  '### Cost Analysis',
  '### Quality Metrics',
  '## Optimization Opportunities',
  '### High-Impact Improvements',
  '### Medium-Impact Improvements',
  '### Low-Impact Improvements',
  '## Recommended Routing Rules',
  '### Updated Rule Set',
  '### Model Selection Matrix',
  '## Implementation Plan',
  '### Phase 1: Immediate Changes (Week 1)',
  '### Phase 2: Tactical Improvements (Weeks 2-4)',
  '### Phase 3: Strategic Enhancements (Months 2-3)',
  '## Expected Outcomes',
  '## Monitoring and Validation',
];

const metric = (value: number, unit: Metric['unit']): Metric => ({ value, unit, source: 'routing_analytics' });

describe('renderReport', () => {
  const doc = sampleReportDocument();

  it('writes Markdown with the seed sections in the seed order', () => {
    const md = renderReport(doc, 'md');
    const positions = SEED_HEADINGS.map((h) => (md.indexOf(`\n${h}\n`) >= 0 ? md.indexOf(`\n${h}\n`) : md.startsWith(`${h}\n`) ? 0 : -1));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('prints each recommendation in the seed format with its numbers', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('#### Route simple QA to sim-small');
    expect(md).toContain('- **Current State**: qa at low complexity goes to sim-large (62% of qa requests)');
    expect(md).toContain('- **Implementation Effort**: Low');
    expect(md).toContain('- **Risk Level**: Low');
    expect(md).toContain('- **Validation Criteria**: qa quality stays ≥ 0.8 over 200 rated requests; qa cost per request falls ≥ 30%');
    expect(md).toContain('cost -41.2% of their spend');
    expect(md).toContain('saves $1.23');
    expect(md).toContain('`aigw rules apply rec_cheap_qa`');
  });

  it('prints numbers without footnotes and ends each section with one Sources line the Sources section defines', () => {
    const md = renderReport(doc, 'md');
    expect(md).not.toMatch(/\[\^/);
    expect(md).toContain('- **Total Requests Analyzed**: 1,234 (1,100 routed by the router; 56 rejected before routing)');
    expect(md).toContain('- **Current Average Cost**: $0.003210 per request, over all requests');
    expect(md).toContain('- **Budget Utilization**: n/a');
    expect(md).toContain('- **Cost per Model Tier (share of window spend)**: premium $3.50 (88.4%)');
    expect(md).toContain("- **Cost Trend**: up (+12.5%: the window's second half against its first)");
    const cost = md.slice(md.indexOf('### Cost Analysis'), md.indexOf('### Quality Metrics'));
    expect(cost.match(/Sources:/g)).toHaveLength(1);
    expect(cost).toContain('\n\n_Sources: routing_costs_\n');
    const cited = new Set([...md.matchAll(/^_Sources: (.*)_$/gm)].flatMap((x) => x[1]!.split(', ')));
    const defined = new Set([...md.matchAll(/^- \*\*([a-z_]+)\*\*: `/gm)].map((x) => x[1]));
    expect([...cited].filter((id) => !defined.has(id))).toEqual([]);
    expect(md).toContain('- **routing_analytics**: `routingAnalytics` over 1,234 rows — requests ⋈ decisions in the window');
  });

  it('states the base of every percentage', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('- **Success Rate**: 98.5% of all requests (failures 1.5% of all requests)');
    expect(md).toContain('- **Model Distribution (requests that reached a model; share of them)**: sim-large 800 (64.8%), sim-small 434 (35.2%)');
    expect(md).toContain('- **Rejected Before Routing**: 56 (4.5% of all requests)');
    expect(md).toContain("- **Optimization Potential**: 41.2% lower cost of the routed requests' spend");
    expect(md).toContain('- **Task Completion Rate**: 97.1% of the requests not refused as client errors (4xx)');
    expect(md).toContain('On the routed requests: cost -41.2% of their spend, average quality -0.02, average latency -18%; saves $1.23');
  });

  it('lists requests rejected before routing on their own line, never as a model', () => {
    const md = renderReport(doc, 'md');
    const models = md.slice(md.indexOf('- **Model Distribution'), md.indexOf('- **Rejected Before Routing**'));
    expect(models).not.toMatch(/\(none\)|unclassified|no task type/);
  });

  it('has top-level Model Mix Optimization and Risk Assessment sections as in the seed', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain(
      "## Model Mix Optimization\n### Recommended Model Distribution\n\n- **qa**: 400 routed requests — now sim-large 62%, sim-small 38% → recommended sim-small 100% (shares of the task type's routed requests)",
    );
    expect(md).toContain(
      '## Risk Assessment\n### `rec_cheap_qa`: Route simple QA to sim-small (risk Low)\n- **Quality Impact Risk**: segment quality 0.880 → 0.860 (floor 0.80)\n- **Performance Degradation Risk**: average latency 900 → 700 ms\n- **Cost Increase Risk**: average cost $0.000700 → $0.000400\n- **Mitigation Strategies**: apply as an A/B split first',
    );
    expect(md.indexOf('## Recommended Routing Rules')).toBeLessThan(md.indexOf('## Model Mix Optimization'));
    expect(md.indexOf('## Implementation Plan')).toBeLessThan(md.indexOf('## Risk Assessment'));
    expect(md.indexOf('## Risk Assessment')).toBeLessThan(md.indexOf('## Expected Outcomes'));
    const html = renderReport(doc, 'html');
    expect(html).toContain('<h2>Model Mix Optimization</h2>');
    expect(html).toContain('<h2>Risk Assessment</h2>');
  });

  it('shows the router learning status and the alert state under Monitoring (Markdown, HTML, JSON)', () => {
    const md = renderReport(doc, 'md');
    const monitoring = md.slice(md.indexOf('## Monitoring and Validation'), md.indexOf('## Sources'));
    expect(monitoring).toContain(
      '### Router Learning\n- **Live Router**: irt-2026-11+ls3 (configured model file)\n- **Learning**: on, exploring on 5% of routed requests',
    );
    expect(monitoring).toContain('| sim-small | qa | 80 | 0.840 | 6 |');
    expect(monitoring).toContain('  - 2026-01-07T12:00:00.000Z cand-7: rejected — AIQ 0.701 vs live 0.705: below the +0.01 promotion margin');
    expect(monitoring).toContain(
      '### Alerts\n- **Firing**: warning error-rate on sim-large since 2026-01-07T22:00:00.000Z: sim-large error rate 12% over 10 min\n- **Too Little Data to Judge**: 2 check(s)',
    );
    const html = renderReport(doc, 'html');
    expect(html).toContain('<td>sim-small</td><td>qa</td><td>80</td><td>0.840</td><td>6</td>');
    expect(html).toContain('cand-7: rejected — AIQ 0.701 vs live 0.705');
    expect(html).toContain('warning error-rate on sim-large');
    const json = JSON.parse(renderReport(doc, 'json')) as ReportDocument;
    expect(json.monitoring_status.router.evaluations[0]).toMatchObject({ status: 'rejected', version: 'cand-7' });
    expect(json.monitoring_status.alerts.firing[0]).toMatchObject({ rule_id: 'error-rate', subject: 'sim-large' });
  });

  it('keeps sources in HTML on hover, not as visible footnotes, and never cuts a model label', () => {
    const html = renderReport(doc, 'html');
    expect(html).toContain('<a class="num" href="#src-routing_costs" title="source: routing_costs">$3.96</a>');
    expect(html).not.toContain('[routing_costs]');
    const long = 'a-very-long-model-name-from-a-custom-provider/llama-3.1-70b-instruct';
    const mixed = sampleReportDocument({
      current_state: {
        ...doc.current_state,
        performance: {
          ...doc.current_state.performance,
          model_distribution: [{ name: long, value: metric(10, 'count'), share_pct: metric(100, 'percent') }],
        },
      },
    });
    const svg = /<svg[^>]*>(?:(?!<\/svg>)[\s\S])*Model mix[\s\S]*?<\/svg>/.exec(renderReport(mixed, 'html'))?.[0] ?? '';
    const x = Number(/<text x="([\d.]+)" y="[\d.]+" text-anchor="end">/.exec(svg)?.[1]);
    // The label ends at x and is drawn leftwards at about 7 px a character: it must start inside the image.
    expect(x - 7 * long.length).toBeGreaterThanOrEqual(0);
  });

  it('prints the routing decision analysis, rule effectiveness and the A/B verdict under Current State', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('- **Decision Accuracy**: 58.5% of 600 rated decisions chose the model that was best in hindsight under goal cost');
    expect(md).toContain("- **Missed Savings**: $0.4200 (21% of those decisions' spend)");
    expect(md).toContain('  - qa: 40% of 400 rated decisions optimal, missed $0.4000, best in hindsight mostly sim-small');
    expect(md).toContain('  - cheap-summaries: 120 fires, quality 0.9, $0.000200/request, 300 ms');
    expect(md).toContain('  - try-small: applied 50 vs holdout 200 requests, quality -0.01, cost -$0.000300/request — no measurable quality difference');
    expect(md.indexOf('### Routing Decisions')).toBeLessThan(md.indexOf('## Optimization Opportunities'));
  });

  it("prints the cost reduction plan, the goal scenarios and each change's risk assessment", () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain("### Cost Reduction Plan (target 20% of the routed requests' spend)\n- 1 change(s) reach the 20% target");
    expect(md).toContain('- **Changes**: `rec_cheap_qa` — expected 41.2% lower routed spend at quality 0.835');
    expect(md).toContain('| cost (chosen) | 1 | $0.001900 | 0.835 | 700 ms | -41.2% |');
    expect(md).toContain('- **Risk Level**: Low (see Risk Assessment)');
  });

  it('writes the updated rule set as config with its rationale, not a second copy of the recommendations', () => {
    const md = renderReport(doc, 'md');
    const ruleSet = md.slice(md.indexOf('### Updated Rule Set'), md.indexOf('### Model Selection Matrix'));
    expect(ruleSet).toContain(
      '#### `rec_cheap_qa`: Route simple QA to sim-small\nReplaying 400 qa decisions with the rule switches 250 to sim-small.\n\n```yaml\nrouting:\n  rules:\n    - name: qa-low-to-small\n```',
    );
    expect(ruleSet).not.toContain('**Current State**');
  });

  it('prints the bottlenecks under Current State, each footnoted with its analysis', () => {
    const md = renderReport(doc, 'md');
    const section = md.slice(md.indexOf('### Bottlenecks'), md.indexOf('### Routing Decisions'));
    expect(section).toContain(
      '- **Performance**: 3 minutes with server errors on ≥ 50% of requests; worst 2026-01-02T14:03:00.000Z: 9 of 12, mostly upstream_timeout',
    );
    expect(section).toContain('- **Cost**: largest shares of the $3.96 spent: model sim-large 88.4% ($3.50)');
    expect(section).toContain('- **Quality**: sim-small on math: average quality 0.61 (95% CI 0.55–0.67) over 240 ratings, below 0.8');
    expect(md.indexOf('### Quality Metrics')).toBeLessThan(md.indexOf('### Bottlenecks'));
    expect(renderReport(doc, 'html')).toContain('<h3>Bottlenecks</h3><ul><li><strong>Performance</strong>: 3 minutes with server errors');
    expect(renderReport(sampleReportDocument({ current_state: { ...doc.current_state, bottlenecks: [] } }), 'md')).toContain(
      '### Bottlenecks\n- n/a (no requests in the window)\n',
    );
  });

  it('prints averages without a share of their sum', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('- **Quality by Model (average over its rated requests)**: sim-large 0.88\n');
  });

  it('states data gaps plainly', () => {
    expect(renderReport(doc, 'md')).toContain('- No API key has a budget, so budget utilization is not defined.');
  });

  it('writes the model selection matrix as a table', () => {
    expect(renderReport(doc, 'md')).toContain('| qa | low (< 0.4) | sim-small | sim-large | 0.86 | $0.000400 | 400 |');
  });

  it('writes JSON that parses back to the same document', () => {
    expect(ReportDocument.parse(JSON.parse(renderReport(doc, 'json')))).toEqual(doc);
  });

  it('writes a self-contained HTML page with inline CSS and both SVG charts', () => {
    const html = renderReport(doc, 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>LLM Routing Optimization Report</title>');
    expect(html).toContain('<style>');
    expect(html.match(/<svg /g)?.length).toBe(2);
    expect(html).toContain('Cost trend');
    expect(html).toContain('Model mix (share of requests)');
    expect(html).not.toMatch(/<script|<link |src="http/);
    for (const h of [
      'Executive Summary',
      'Routing Decisions',
      "Cost Reduction Plan (target 20% of the routed requests' spend)",
      'Model Selection Matrix',
      'Phase 3: Strategic Enhancements (Months 2-3)',
      'Monitoring and Validation',
    ])
      expect(html).toContain(`>${h}</h`);
    expect(html).toContain('<pre><code>routing:\n  rules:\n    - name: qa-low-to-small\n</code></pre>');
    expect(html).toContain('id="src-routing_costs"');
  });

  it('escapes text from the store in HTML', () => {
    const html = renderReport(sampleReportDocument({ data_gaps: ['<img src=x onerror=alert(1)>'] }), 'html');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });

  it('words a cost increase as an increase and states the base of the potential (goal quality)', () => {
    const doc = sampleReportDocument();
    const costly = sampleReportDocument({
      parameters: { ...doc.parameters, goal: 'quality' },
      executive_summary: { ...doc.executive_summary, optimization_potential_pct: { value: -170.5, unit: 'percent', source: 'recommendations' } },
      expected_outcomes: {
        ...doc.expected_outcomes,
        cost_reduction_pct: { value: -170.5, unit: 'percent', source: 'recommendations' },
        cost_reduction_usd: { value: -2.5, unit: 'usd', source: 'recommendations' },
        latency_improvement_pct: { value: -12, unit: 'percent', source: 'recommendations' },
      },
    });
    for (const format of ['md', 'html'] as const) {
      const text = renderReport(costly, format);
      expect(text).not.toMatch(/-170\.5%/);
      expect(text).toMatch(/170\.5%(<\/a>)? higher cost of the routed requests/);
      expect(text).toMatch(/\$2\.50(<\/a>)? added/);
      expect(text).toMatch(/12%(<\/a>)? slower/);
    }
  });
});
