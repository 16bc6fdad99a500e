import { describe, expect, it } from 'vitest';
import { ReportDocument } from './report-document.ts';
import { sampleReportDocument } from './report-document.test-support.ts';
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
    expect(md).toContain('cost -41.2%[^recommendations]');
    expect(md).toContain('saves $1.23[^recommendations]');
    expect(md).toContain('`aigw rules apply rec_cheap_qa`');
  });

  it('footnotes every number with a source that the Sources section defines', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('- **Total Requests Analyzed**: 1,234[^routing_analytics]');
    expect(md).toContain('- **Current Average Cost**: $0.003210[^routing_costs]');
    expect(md).toContain('- **Budget Utilization**: n/a[^routing_costs]');
    expect(md).toContain('- **Cost per Model Tier**: premium $3.50[^routing_costs] (88.4%)');
    expect(md).toContain('- **Cost Trend**: up (+12.5%[^routing_costs])');
    const referenced = new Set([...md.matchAll(/\[\^([a-z_]+)\](?!:)/g)].map((x) => x[1]));
    const defined = new Set([...md.matchAll(/^\[\^([a-z_]+)\]:/gm)].map((x) => x[1]));
    expect([...referenced].sort()).toEqual([...defined].sort());
    expect(md).toContain('[^routing_analytics]: `routingAnalytics` over 1,234 rows — requests ⋈ decisions in the window');
  });

  it('prints the routing decision analysis, rule effectiveness and the A/B verdict under Current State', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain(
      '- **Decision Accuracy**: 58.5%[^recommendations] of 600[^recommendations] rated decisions chose the model that was best in hindsight under goal cost',
    );
    expect(md).toContain('- **Missed Savings**: $0.4200[^recommendations] (21%[^recommendations] of their spend)');
    expect(md).toContain(
      '  - qa: 40%[^recommendations] optimal over 400[^recommendations], missed $0.4000[^recommendations], best in hindsight mostly sim-small',
    );
    expect(md).toContain(
      '  - cheap-summaries: 120[^recommendations] fires, quality 0.9[^recommendations], $0.000200[^recommendations]/request, 300 ms[^recommendations]',
    );
    expect(md).toContain(
      '  - try-small: applied 50[^recommendations] vs holdout 200[^recommendations] requests, quality -0.01[^recommendations], cost -$0.000300[^recommendations]/request — no measurable quality difference',
    );
    expect(md.indexOf('### Routing Decisions')).toBeLessThan(md.indexOf('## Optimization Opportunities'));
  });

  it("prints the cost reduction plan, the goal scenarios and each change's risk assessment", () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('### Cost Reduction Plan (target 20%)\n- 1 change(s) reach the 20% target');
    expect(md).toContain('- **Changes**: `rec_cheap_qa` — expected 41.2%[^recommendations] lower cost at quality 0.835[^recommendations]');
    expect(md).toContain(
      '| cost (chosen) | 1[^recommendations] | $0.001900[^recommendations] | 0.835[^recommendations] | 700 ms[^recommendations] | -41.2%[^recommendations] |',
    );
    expect(md).toContain(
      '- **Risk Assessment**: quality — segment quality 0.880 → 0.860 (floor 0.80); performance — average latency 900 → 700 ms; cost — average cost $0.000700 → $0.000400. Mitigation: apply as an A/B split first',
    );
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
      '- **Performance**: 3 minutes with server errors on ≥ 50% of requests; worst 2026-01-02T14:03:00.000Z: 9 of 12, mostly upstream_timeout[^bottlenecks]',
    );
    expect(section).toContain('- **Cost**: largest shares of the $3.96 spent: model sim-large 88.4% ($3.50)[^cost_drivers]');
    expect(section).toContain('- **Quality**: sim-small on math: average quality 0.61 (95% CI 0.55–0.67) over 240 ratings, below 0.8[^quality_issues]');
    expect(md.indexOf('### Quality Metrics')).toBeLessThan(md.indexOf('### Bottlenecks'));
    expect(renderReport(doc, 'html')).toContain('<h3>Bottlenecks</h3><ul><li><strong>Performance</strong>: 3 minutes with server errors');
    expect(renderReport(sampleReportDocument({ current_state: { ...doc.current_state, bottlenecks: [] } }), 'md')).toContain(
      '### Bottlenecks\n- n/a (no requests in the window)\n',
    );
  });

  it('prints averages without a share of their sum', () => {
    const md = renderReport(doc, 'md');
    expect(md).toContain('- **Quality by Model**: sim-large 0.88[^quality_metrics]\n');
  });

  it('states data gaps plainly', () => {
    expect(renderReport(doc, 'md')).toContain('- No API key has a budget, so budget utilization is not defined.');
  });

  it('writes the model selection matrix as a table', () => {
    expect(renderReport(doc, 'md')).toContain(
      '| qa | low (< 0.4) | sim-small | sim-large | 0.86[^recommendations] | $0.000400[^recommendations] | 400[^recommendations] |',
    );
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
      'Cost Reduction Plan (target 20%)',
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
      expect(text).toMatch(/170\.5%(\[\^recommendations\]|<[^>]*>[^<]*<\/[^>]*>)* higher cost on the/);
      expect(text).toContain('routed requests (share of their spend');
      expect(text).toMatch(/\$2\.50(\[\^recommendations\]|<[^>]*>[^<]*<\/[^>]*>)* added/);
      expect(text).toMatch(/12%(\[\^recommendations\]|<[^>]*>[^<]*<\/[^>]*>)* slower/);
    }
  });
});
