import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHistory, KNOWN, KNOWN_WINDOW, knownHistory } from '../../analytics/fixture-history.test-support.ts';
import { ReportDocument } from '../../analytics/report/report-document.ts';
import { startTestStack, type TestStack } from '../../../test/helpers/test-stack.ts';

const ADMIN_KEY = 'report-admin-key-0123456789';
let stack: TestStack;

const windowQuery = `from=${encodeURIComponent(KNOWN_WINDOW.from)}&to=${encodeURIComponent(KNOWN_WINDOW.to)}`;

function get(path: string, key: string | null = ADMIN_KEY): Promise<Response> {
  return fetch(`${stack.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY } });
  const { requests, keys } = knownHistory();
  await insertHistory(stack.gateway.runtime.gateway.store, requests, keys);
});
afterAll(async () => {
  await stack?.close();
});

describe('GET /v1/report over HTTP', () => {
  it('answers the report document over the known history as JSON, with its known numbers', async () => {
    const res = await get(`/v1/report?${windowQuery}&goal=cost&cost_threshold=0.01&quality_threshold=0.6&format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const doc = ReportDocument.parse(await res.json());
    expect(doc.parameters).toMatchObject({ goal: 'cost', cost_threshold_usd: 0.01, quality_threshold: 0.6, timeframe: 'custom' });
    expect(doc.executive_summary.total_requests.value).toBe(KNOWN.requests);
    expect(doc.executive_summary.routed_requests.value).toBe(KNOWN.routed);
    expect(doc.current_state.cost.total_spend_usd.value).toBeCloseTo(KNOWN.totalCostUsd, 12);
    expect(doc.current_state.performance.success_rate_pct.value).toBeCloseTo(KNOWN.successRate * 100, 9);
    expect(doc.current_state.quality.avg_quality.value).toBeCloseTo(KNOWN.avgQuality, 12);
    // key_a spent $0.012 of its $0.05 daily budget: the highest utilization.
    expect(doc.current_state.cost.budget_utilization_pct.value).toBeCloseTo(24, 9);
    // The test stack's catalog is the simulated fleet: the fixture's gpt-4o models are not in it.
    expect(doc.current_state.cost.by_tier.map((t) => [t.name, t.value.value])).toEqual([['(not in catalog)', 0.072]]);
    // Bottlenecks of the known history: decision C1 took 5 ms; gpt-4o's 15:00 hour (the two 30 s timeouts)
    // averaged 20× its 1,500 ms median; B and C (6,000-token prompts) are all of gpt-4o's $0.06.
    const findings = doc.current_state.bottlenecks.map((f) => `${f.area}: ${f.finding}`);
    expect(findings[0]).toMatch(/^performance: 1 of 18 routing decisions \(5\.6%\) took longer than 1 ms; the slowest 5 ms \(coding, request req_/);
    expect(findings.slice(1)).toEqual([
      "performance: 1 model-hour averaged ≥ 3× their model's median latency; worst gpt-4o at 2026-01-05T15:00:00.000Z: 30000 ms against 1500 ms (20×) over 2 requests",
      'cost: largest shares of the $0.0720 spent: model gpt-4o 83.3% ($0.0600), key key_b 83.3% ($0.0600), task type coding 83.3% ($0.0600)',
      'cost: 8 prompts over 4,000 input tokens (40% of requests) cost $0.0600 (83.3% of spend)',
      'cost: 1 hour cost ≥ 6× the median hour; the dearest 2026-01-05T14:00:00.000Z: $0.0600 over 6 requests (6× the median)',
      'quality: no model × task type cell averages below 0.6',
    ]);
    expect(doc.sources.map((x) => x.id)).toEqual(expect.arrayContaining(['bottlenecks', 'cost_drivers']));
  });

  it('writes Markdown and HTML with the seed sections', async () => {
    const md = await get(`/v1/report?${windowQuery}&format=md`);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await md.text();
    expect(text.startsWith('# LLM Routing Optimization Report\n')).toBe(true);
    expect(text).toContain('- **Total Requests Analyzed**: 20 (18 routed by the router)');
    expect(text).toContain('- **Total Spend**: $0.0720\n');
    const html = await get(`/v1/report?${windowQuery}&format=html`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('<h2>Implementation Plan</h2>');
  });

  it('needs the admin key and names a bad parameter', async () => {
    expect((await get(`/v1/report?${windowQuery}`, null)).status).toBe(401);
    const bad = await get('/v1/report?timeframe=2w');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('timeframe');
    const half = await get(`/v1/report?from=${encodeURIComponent(KNOWN_WINDOW.from)}`);
    expect(half.status).toBe(400);
  });
});
