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
    const positions = SEED_HEADINGS.map((h) => md.indexOf(`\n${h}\n`) >= 0 ? md.indexOf(`\n${h}\n`) : md.startsWith(`${h}\n`) ? 0 : -1);
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
    expect(md).toContain('- **Cost Trend**: up (+12.5%[^routing_costs])');
    const referenced = new Set([...md.matchAll(/\[\^([a-z_]+)\](?!:)/g)].map((x) => x[1]));
    const defined = new Set([...md.matchAll(/^\[\^([a-z_]+)\]:/gm)].map((x) => x[1]));
    expect([...referenced].sort()).toEqual([...defined].sort());
    expect(md).toContain('[^routing_analytics]: `routingAnalytics` over 1,234 rows — requests ⋈ decisions in the window');
  });

  it('states data gaps plainly', () => {
    expect(renderReport(doc, 'md')).toContain('- No API key has a budget, so budget utilization is not defined.');
  });

  it('writes the model selection matrix as a table', () => {
    expect(renderReport(doc, 'md')).toContain('| qa | low (< 0.4) | sim-small | sim-large | 0.86[^recommendations] | $0.000400[^recommendations] | 400[^recommendations] |');
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
    for (const h of ['Executive Summary', 'Model Selection Matrix', 'Phase 3: Strategic Enhancements (Months 2-3)', 'Monitoring and Validation']) expect(html).toContain(`>${h}</h`);
    expect(html).toContain('id="src-routing_costs"');
  });

  it('escapes text from the store in HTML', () => {
    const html = renderReport(sampleReportDocument({ data_gaps: ['<img src=x onerror=alert(1)>'] }), 'html');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});
