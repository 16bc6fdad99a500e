import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertHistory, KNOWN, KNOWN_WINDOW, knownHistory } from '../../analytics/fixture-history.test-support.ts';
import { startTestStack, type TestStack } from '../../../test/helpers/test-stack.ts';

const ADMIN_KEY = 'analytics-admin-key-0123456789';
let stack: TestStack;
let userKey: string;

async function get(path: string, key: string | null = ADMIN_KEY): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const windowQuery = `from=${encodeURIComponent(KNOWN_WINDOW.from)}&to=${encodeURIComponent(KNOWN_WINDOW.to)}`;

beforeAll(async () => {
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY } });
  const created = await fetch(`${stack.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'app' }),
  });
  userKey = ((await created.json()) as { key: string }).key;
  const { requests, keys } = knownHistory();
  await insertHistory(stack.gateway.runtime.gateway.store, requests, keys);
});
afterAll(async () => {
  await stack?.close();
});

describe('GET /v1/analytics/:name over HTTP', () => {
  it('answers each descriptive analysis on the known history with its window, sample size and data gaps', async () => {
    const routing = await get(`/v1/analytics/routing?${windowQuery}`);
    expect(routing.status).toBe(200);
    expect(routing.json).toMatchObject({
      analysis: 'routing',
      window: { from: '2026-01-05T00:00:00.000Z', to: '2026-01-06T00:00:00.000Z' },
      sample_size: KNOWN.requests,
      routed_requests: KNOWN.routed,
      success_rate: KNOWN.successRate,
      routing_latency_ms: { p50: 0.16, p95: 5, p99: 5 },
    });
    for (const name of ['quality', 'patterns', 'model-performance', 'bottlenecks', 'cost-drivers', 'quality-issues']) {
      const r = await get(`/v1/analytics/${name}?${windowQuery}`);
      expect(r.status, name).toBe(200);
      expect(r.json['sample_size'], name).toBe(20);
      expect(Array.isArray(r.json['data_gaps']), name).toBe(true);
    }
  });

  it('takes filters as comma lists and analysis options from the query string', async () => {
    const costs = await get(`/v1/analytics/costs?${windowQuery}&models=gpt-4o,gpt-4o-mini&keys=key_b&group_by=model,tier`);
    expect(costs.status).toBe(200);
    expect(costs.json).toMatchObject({ sample_size: 8, total_cost_usd: 0.06, by_model: [{ model: 'gpt-4o', cost_usd: 0.06 }] });
    // The test catalog is the simulated fleet: gpt-4o is not in it, and the tier grouping says so.
    expect(costs.json['by_tier']).toEqual([{ tier: '(not in catalog)', requests: 8, cost_usd: 0.06, share: 1, avg_cost_usd: 0.0075 }]);
    expect(costs.json['by_task_type']).toBeUndefined();
    const issues = await get(`/v1/analytics/quality-issues?${windowQuery}&threshold=0.65&min_samples=5`);
    expect(issues.json).toMatchObject({ threshold: 0.65, cells: [{ model: 'gpt-4o-mini', task_type: 'qa', rated: 7 }] });
  });

  it('answers 400 naming the bad parameter', async () => {
    const cases: [string, string][] = [
      ['/v1/analytics/routing?timeframe=2h', 'timeframe'],
      ['/v1/analytics/routing?from=2026-01-05T00:00:00Z', 'to'], // the missing half is named
      [`/v1/analytics/routing?from=${encodeURIComponent(KNOWN_WINDOW.to)}&to=${encodeURIComponent(KNOWN_WINDOW.from)}`, 'to'],
      ['/v1/analytics/routing?from=yesterday&to=today', 'from'],
      ['/v1/analytics/costs?group_by=model,colour', 'group_by[1]'],
      ['/v1/analytics/bottlenecks?error_rate_threshold=2', 'error_rate_threshold'],
      ['/v1/analytics/routing?colour=blue', 'colour'],
      ['/v1/analytics/recommendations?goal=cheapest', 'goal'],
    ];
    for (const [path, param] of cases) {
      const r = await get(path);
      expect(r.status, path).toBe(400);
      expect(r.json, path).toMatchObject({ error: { type: 'invalid_request_error', param } });
    }
  });

  it('needs the admin key, and answers 404 for an unknown analysis', async () => {
    expect((await get(`/v1/analytics/routing?${windowQuery}`, null)).status).toBe(401);
    const withUserKey = await get(`/v1/analytics/routing?${windowQuery}`, userKey);
    expect(withUserKey.status).toBe(403);
    const unknown = await get('/v1/analytics/horoscope');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { param: 'name', code: 'analysis_not_found' } });
    const list = await get('/v1/analytics');
    expect(list.json['analyses']).toContain('model-performance');
  });

  it('serves the routing decision analysis and the recommendations of src/analytics/recommend', async () => {
    const decisions = await get(`/v1/analytics/decisions?${windowQuery}&criteria=cost`);
    expect(decisions.status).toBe(200);
    expect(decisions.json).toMatchObject({ analysis: 'decisions', window: { from: '2026-01-05T00:00:00.000Z' } });
    expect(typeof decisions.json['sample_size']).toBe('number');
    const recs = await get(`/v1/analytics/recommendations?${windowQuery}&goal=cost&quality_threshold=0.6`);
    expect(recs.status).toBe(200);
    expect(recs.json).toMatchObject({ analysis: 'recommendations', sample_size: KNOWN.routed, goal: 'cost', window: { requests: KNOWN.routed } });
  });
});
