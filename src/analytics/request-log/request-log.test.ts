import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyListTable } from '../../cli/keys-commands.ts';
import { makeApiKey, makeDecisionRow, makeRequestRow, TEST_BACKENDS, type OpenedTestStore } from '../../store/store-test-support.ts';
import type { RequestRow } from '../../store/types.ts';
import { keySpendFields } from '../key-spend.ts';
import { listRequests, requestFilterValues } from './list-requests.ts';
import { requestDetail } from './request-detail.ts';

// 2026-03-10 12:00 UTC; the history: 30 requests over the last 30 minutes, one the day before, one last month.
const NOW_MS = Date.UTC(2026, 2, 10, 12);
const MIN = 60_000;
const PRICING = { input: 0.15, output: 0.6 };

describe.each(TEST_BACKENDS)('request log ($name)', (backend) => {
  let opened: OpenedTestStore;
  let rows: RequestRow[];
  const key = makeApiKey({ name: 'search-app', budget_daily_usd: 1, budget_monthly_usd: 10 });
  const other = makeApiKey({ name: 'batch' });

  beforeAll(async () => {
    opened = await backend.open();
    await opened.store.createApiKey(key);
    await opened.store.createApiKey(other);
    rows = Array.from({ length: 30 }, (_, i) =>
      makeRequestRow({
        created_at: NOW_MS - (i + 1) * MIN,
        key_id: i % 3 === 0 ? other.id : key.id,
        model_requested: i % 2 === 0 ? 'auto' : 'sim-mini',
        model_used: i % 5 === 0 ? 'sim-large' : 'sim-mini',
        task_type: i % 2 === 0 ? 'qa' : 'coding',
        status: i === 7 ? 502 : 200,
        error_type: i === 7 ? 'upstream_error' : null,
        cost_usd: 0.01,
        cache_hit: i === 4,
        optimization: i === 6 ? JSON.stringify({ technique: 'self_consistency', calls: [] }) : null,
      }),
    );
    rows.push(makeRequestRow({ created_at: NOW_MS - 13 * 60 * MIN, key_id: key.id, cost_usd: 0.5 }));
    rows.push(makeRequestRow({ created_at: Date.UTC(2026, 1, 27), key_id: key.id, cost_usd: 7 }));
    await opened.store.insertRequests(rows);
    const routed = rows[0] as RequestRow;
    await opened.store.insertDecisions([makeDecisionRow(routed.id, { chosen_model: 'sim-large', fallbacks: JSON.stringify(['sim-mini']) })]);
    await opened.store.upsertFeedback({ id: 'fb1', request_id: routed.id, source: 'judge', score: 0.75, comment: 'fine', created_at: NOW_MS });
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('pages the window newest first with a cursor, and counts all matches', async () => {
    const first = await listRequests(opened.store.db, { timeframe: '1h', limit: 20 }, NOW_MS);
    expect(first.total).toBe(30);
    expect(first.requests.map((r) => r.id)).toEqual(rows.slice(0, 20).map((r) => r.id));
    expect(first.requests[0]).toMatchObject({ routing_model: 'auto', model: 'sim-large', key_name: 'batch', cost_usd: 0.01, stream: false });
    const second = await listRequests(opened.store.db, { timeframe: '1h', limit: 20, cursor: first.next_cursor ?? '' }, NOW_MS);
    expect(second.requests.map((r) => r.id)).toEqual(rows.slice(20, 30).map((r) => r.id));
    expect(second.next_cursor).toBeNull();
  });

  it('filters by key, model, routing model, task type, status, technique and cache hit', async () => {
    const db = opened.store.db;
    const count = async (params: Parameters<typeof listRequests>[1]) => (await listRequests(db, { timeframe: '1h', ...params }, NOW_MS)).total;
    expect(await count({ key: other.id })).toBe(10);
    expect(await count({ model: 'sim-large' })).toBe(6);
    expect(await count({ routing_model: 'auto', task_type: 'qa' })).toBe(15);
    expect(await count({ status: 'error' })).toBe(1);
    expect(await count({ status: 502 })).toBe(1);
    expect(await count({ status: 'ok' })).toBe(29);
    expect(await count({ technique: 'self_consistency' })).toBe(1);
    expect(await count({ technique: 'none' })).toBe(29);
    expect(await count({ cache_hit: 'true' })).toBe(1);
    const page = await listRequests(db, { timeframe: '1h', technique: 'self_consistency' }, NOW_MS);
    expect(page.requests[0]?.technique).toBe('self_consistency');
    expect(await count({ timeframe: '24h' })).toBe(31);
  });

  it('lists the values each filter can take, most used first', async () => {
    const values = await requestFilterValues(opened.store.db, '1h', NOW_MS);
    expect(values.models).toEqual(['sim-mini', 'sim-large']);
    expect(values.techniques).toEqual(['self_consistency']);
    expect(values.keys.map((k) => k.name)).toEqual(['search-app', 'batch']);
  });

  it('details one request: decision, cost parts, latency, fallback, feedback; content only with log_content', async () => {
    const routed = rows[0] as RequestRow;
    const detail = await requestDetail(opened.store.db, routed.id, { logContent: false, pricingOf: () => PRICING });
    expect(detail?.decision).toMatchObject({ chosen_model: 'sim-large', rules: ['prefer-cheap-for-qa'], fallbacks: ['sim-mini'], decision_ms: 0.0845 });
    expect(detail?.decision?.candidates[1]).toMatchObject({ eligible: false, reason: 'over cost cap' });
    expect(detail?.cost.parts?.uncachedInputUsd).toBeCloseTo((1200 * 0.15) / 1e6, 15);
    expect(detail?.cost.parts?.answerOutputUsd).toBeCloseTo((300 * 0.6) / 1e6, 15);
    expect(detail?.latency).toMatchObject({ total_ms: 812.5, gateway_overhead_ms: 1.75, upstream_ms: 790.25, routing_decision_ms: 0.0845 });
    expect(detail?.attempts).toMatchObject({ attempts: 1, planned: ['sim-large', 'sim-mini'], fell_back_to: null });
    expect(detail?.feedback).toEqual([{ source: 'judge', score: 0.75, comment: 'fine', created_at: new Date(NOW_MS).toISOString() }]);
    expect(detail?.content).toBeNull();
    expect(detail?.content_note).toMatch(/log_content/);
    expect(await requestDetail(opened.store.db, 'nope', { logContent: false, pricingOf: () => undefined })).toBeUndefined();
  });

  it('shows stored prompt and answer only while log_content is on', async () => {
    const withText = makeRequestRow({
      created_at: NOW_MS - 1000,
      prompt_text: JSON.stringify([{ role: 'user', content: 'hi' }]),
      response_text: 'hello',
      attempts: 2,
      model_used: 'sim-mini',
    });
    await opened.store.insertRequests([withText]);
    await opened.store.insertDecisions([makeDecisionRow(withText.id, { chosen_model: 'sim-large', fallbacks: JSON.stringify(['sim-mini']) })]);
    const on = await requestDetail(opened.store.db, withText.id, { logContent: true, pricingOf: () => PRICING });
    expect(on?.content).toEqual({ prompt: [{ role: 'user', content: 'hi' }], answer: 'hello' });
    expect(on?.attempts).toMatchObject({ attempts: 2, retries_or_fallbacks: 1, fell_back_to: 'sim-mini' });
    const off = await requestDetail(opened.store.db, withText.id, { logContent: false, pricingOf: () => PRICING });
    expect(off?.content).toBeNull();
  });

  it('gives each key its spend today and this month against its budgets, in the API and in `aigw keys list`', async () => {
    const spend = await keySpendFields(opened.store.db, [key, other], NOW_MS);
    // key: 20 × $0.01 in the last half hour + $0.5 at 23:00 yesterday (not today) + $7 last month.
    expect(spend.get(key.id)?.spent_today_usd).toBeCloseTo(0.2, 12);
    expect(spend.get(key.id)?.spent_month_usd).toBeCloseTo(0.7, 12);
    expect(spend.get(key.id)?.daily_budget_use).toBeCloseTo(0.2, 12);
    expect(spend.get(other.id)).toMatchObject({ daily_budget_use: null, monthly_budget_use: null });
    const table = await keyListTable(opened.store, NOW_MS);
    const row = table.rows.find((r) => r[0] === key.id);
    expect(row?.[4]).toBe('$0.200 / $1.00 (20.0%)');
    expect(row?.[5]).toBe('$0.700 / $10.00 (7.0%)');
    expect(table.rows.find((r) => r[0] === other.id)?.[4]).toBe('$0.100');
  });
});
