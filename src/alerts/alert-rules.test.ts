import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertHistory, type HistoryRequest } from '../analytics/fixture-history.test-support.ts';
import { FIXTURE_START_MS, knownAnswerHistory, writeFixtureHistory } from '../analytics/recommend/fixture-history.test-support.ts';
import { refreshRollups } from '../analytics/rollup/refresh-rollups.ts';
import { CATALOG } from '../router/policy/policy-fixtures.test-support.ts';
import { LearningStore } from '../store/learning-store.ts';
import { makeApiKey, TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import type { LearningRowRecord } from '../store/types.ts';
import { readAlertStates } from './alert-store.ts';
import { attachFix } from './attach-fix.ts';
import { GatewayConfig } from '../config/schema.ts';
import { alertServiceOn, startReceiver, stopAlertServices, type Receiver } from './alerts.test-support.ts';
import type { AlertPayload } from './types.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
/** Saturday 2026-01-10 12:30 UTC. */
const NOW = Date.UTC(2026, 0, 10, 12, 30);

const repeat = (n: number, spec: (i: number) => HistoryRequest): HistoryRequest[] => Array.from({ length: n }, (_, i) => spec(i));

describe.each(TEST_BACKENDS)(
  'alert rules on a real store ($name)',
  (backend) => {
    let opened: OpenedTestStore;
    let hook: Receiver;
    const destinations = () => [{ id: 'hook', type: 'webhook' as const, url: hook.url, backoff_ms: 10 }];

    beforeEach(async () => {
      opened = await backend.open();
      hook = await startReceiver();
    });
    afterEach(async () => {
      await stopAlertServices();
      await hook.close();
      await opened.cleanup();
    });

    it('cost_spike: fires against the trailing baseline, read from the rollup, with the cost drivers and stored recommendation ids', async () => {
      const now = FIXTURE_START_MS + 2 * HOUR;
      // 80 routed requests ($0.244) in the last 2 h; before them 12 requests of $0.002 over a day: $0.002 per 2 h.
      await writeFixtureHistory(opened.store, knownAnswerHistory());
      await insertHistory(
        opened.store,
        repeat(12, (i) => ({ atMs: FIXTURE_START_MS - 24 * HOUR + i * 2 * HOUR, request: { cost_usd: 0.002, model_used: 'gpt-4o-mini' } })),
      );
      await refreshRollups(opened.store.db, now);
      const t = alertServiceOn(
        opened.store,
        { destinations: destinations(), rules: [{ kind: 'cost_spike', window: '2h', baseline: '24h', factor: 3, min_sample: 20 }], fix_timeout: '60s' },
        now,
        { base: { models: CATALOG } },
      );
      const tick = await t.service.tick();
      expect(tick.sent.map((s) => [s.event, s.state.subject])).toEqual([['firing', 'total']]);
      await t.service.settle();
      const body = hook.bodies[0] as AlertPayload;
      expect(body.alert).toMatchObject({ kind: 'cost_spike', rule_id: 'cost_spike', severity: 'warning', status: 'firing' });
      expect(body.alert.value).toBeCloseTo(0.244, 9);
      expect(body.alert.threshold).toBeCloseTo(3 * 0.002, 9);
      expect(body.alert.message).toContain('122.0× the $0.00200 per 2h');
      expect((body.fix?.top_cost_drivers?.models[0] as { model: string }).model).toBe('gpt-4o');
      const rec = body.fix?.recommendations[0];
      expect(rec?.apply).toBe(`aigw rules apply ${rec?.id}`);
      // Stored, so `aigw rules apply` finds it.
      expect(await opened.store.getRecommendation(rec?.id ?? '')).toMatchObject({ status: 'proposed' });
      // Still firing on the next tick: nothing new is sent.
      expect((await t.service.tick()).sent).toEqual([]);
      // Past its time budget the fix is sent without the parts not done, and says so.
      const late = await attachFix(
        { db: opened.store.readDb, config: GatewayConfig.parse({ models: CATALOG }), timeoutMs: 0, nowMs: now },
        tick.sent[0]!.state,
        { fromMs: now - 2 * HOUR, toMs: now },
      );
      expect(late).toMatchObject({ top_cost_drivers: null, recommendations: [] });
      expect(late?.notes).toEqual(expect.arrayContaining(['cost drivers: not finished within the 0 ms budget (alerts.fix_timeout)']));
    });

    it('cost_spike: says when the window holds too few requests to judge', async () => {
      await insertHistory(
        opened.store,
        repeat(5, (i) => ({ atMs: NOW - 10 * MIN + i, request: { cost_usd: 5 } })),
      );
      const t = alertServiceOn(opened.store, { destinations: destinations(), rules: [{ kind: 'cost_spike', max_usd: 1 }] }, NOW);
      expect((await t.service.tick()).sent).toEqual([]);
      const [state] = await readAlertStates(opened.store.db);
      expect(state).toMatchObject({ state: 'insufficient', subject: 'total' });
      expect(state?.message).toContain('5 requests, fewer than the 20 needed');
    });

    it('budget: 50% → 80% → 100% of a key budget notify once each, and a team budget from the rule', async () => {
      const key = makeApiKey({ budget_daily_usd: 1, team: 'search' });
      const spend = (usd: number, at: number) => insertHistory(opened.store, [{ atMs: at, request: { key_id: key.id, team: 'search', cost_usd: usd } }], []);
      await opened.store.createApiKey(key);
      const t = alertServiceOn(opened.store, { destinations: destinations(), rules: [{ kind: 'budget', teams: { search: { daily_usd: 2 } } }] }, NOW);
      await spend(0.55, NOW - 5 * MIN);
      expect((await t.service.tick()).sent.map((s) => [s.event, s.state.subject, s.state.level])).toEqual([['firing', `key:${key.id}:daily`, 0.5]]);
      await spend(0.3, NOW - 4 * MIN);
      expect((await t.service.tick()).sent.map((s) => [s.event, s.state.subject, s.state.level])).toEqual([['escalated', `key:${key.id}:daily`, 0.8]]);
      await spend(0.2, NOW - 3 * MIN);
      const third = await t.service.tick();
      expect(third.sent.map((s) => [s.event, s.state.subject, s.state.level])).toEqual([
        ['escalated', `key:${key.id}:daily`, 1],
        ['firing', 'team:search:daily', 0.5],
      ]);
      expect(third.sent[0]?.state.message).toContain('Budget exhausted');
      expect((await t.service.tick()).sent).toEqual([]);
      // The next UTC day starts a new budget period: the alerts resolve.
      t.setNow(Date.UTC(2026, 0, 11, 0, 5));
      expect((await t.service.tick()).sent.map((s) => [s.event, s.state.subject]).sort()).toEqual([
        ['resolved', `key:${key.id}:daily`],
        ['resolved', 'team:search:daily'],
      ]);
    });

    it('quality: a model × task type below the threshold fires; one with too few ratings is stored as too few', async () => {
      const rated = (n: number, model: string, task: string, score: number) =>
        repeat(n, (i) => ({ atMs: NOW - 2 * HOUR + i * MIN, request: { model_used: model, task_type: task }, feedback: [{ source: 'user', score }] }));
      await insertHistory(opened.store, [...rated(25, 'm-bad', 'coding', 0.4), ...rated(5, 'm-thin', 'qa', 0.3), ...rated(25, 'm-good', 'coding', 0.9)]);
      const t = alertServiceOn(opened.store, { destinations: destinations(), rules: [{ kind: 'quality', quality_threshold: 0.7, min_sample: 20 }] }, NOW);
      const tick = await t.service.tick();
      expect(tick.sent.map((s) => s.state.subject)).toEqual(['m-bad × coding']);
      expect(tick.sent[0]?.state.value).toBeCloseTo(0.4, 9);
      const thin = (await readAlertStates(opened.store.db, ['insufficient']))[0];
      expect(thin).toMatchObject({ subject: 'm-thin × qa', value: 0.3 });
      expect(thin?.message).toContain('only 5 rated (20 needed to alert)');
    });

    it('error_rate: fires for the failing model only and resolves (sent once) when its errors stop', async () => {
      const calls = (model: string, n: number, failing: number, at: number) =>
        repeat(n, (i) => ({ atMs: at + i * 1_000, request: { model_used: model, ...(i < failing ? { status: 502, error_type: 'upstream_error' } : {}) } }));
      await insertHistory(opened.store, [...calls('m-a', 30, 9, NOW - 10 * MIN), ...calls('m-b', 30, 0, NOW - 10 * MIN)]);
      const t = alertServiceOn(
        opened.store,
        { destinations: destinations(), rules: [{ kind: 'error_rate', window: '15m', max_rate: 0.05 }], fix_timeout: '60s' },
        NOW,
      );
      const fired = await t.service.tick();
      expect(fired.sent.map((s) => [s.event, s.state.subject])).toEqual([['firing', 'm-a']]);
      expect(fired.sent[0]?.state.value).toBeCloseTo(0.3, 9);
      await insertHistory(opened.store, calls('m-a', 30, 0, NOW + 10 * MIN));
      t.setNow(NOW + 20 * MIN);
      expect((await t.service.tick()).sent.map((s) => [s.event, s.state.subject])).toEqual([['resolved', 'm-a']]);
      await t.service.settle();
      expect(hook.bodies.map((b) => (b as AlertPayload).event)).toEqual(['firing', 'resolved']);
      // An error alert carries the bottlenecks of its window.
      expect((hook.bodies[0] as AlertPayload).fix?.bottlenecks).not.toBeNull();
    });

    it('latency_p95: fires at factor × the model baseline p95', async () => {
      const calls = (model: string, n: number, latencyMs: number, from: number, stepMs: number) =>
        repeat(n, (i) => ({ atMs: from + i * stepMs, request: { model_used: model, latency_ms: latencyMs } }));
      await insertHistory(opened.store, [
        ...calls('m-slow', 40, 500, NOW - 20 * HOUR, 20 * MIN),
        ...calls('m-slow', 25, 2_000, NOW - 10 * MIN, 10_000),
        ...calls('m-fine', 40, 500, NOW - 20 * HOUR, 20 * MIN),
        ...calls('m-fine', 25, 520, NOW - 10 * MIN, 10_000),
      ]);
      await refreshRollups(opened.store.db, NOW);
      const t = alertServiceOn(
        opened.store,
        { destinations: destinations(), rules: [{ kind: 'latency_p95', window: '15m', factor: 2, baseline: '24h' }] },
        NOW,
      );
      const tick = await t.service.tick();
      expect(tick.sent.map((s) => [s.state.subject, s.state.value, s.state.threshold])).toEqual([['m-slow', 2_000, 1_000]]);
    });

    it('breaker_open: fires once a breaker has been open on some replica for open_for, resolves when it closes', async () => {
      let open = [{ model: 'm-down', openSinceMs: NOW - 3 * MIN }];
      const t = alertServiceOn(opened.store, { destinations: destinations(), rules: [{ kind: 'breaker_open', open_for: '5m' }] }, NOW, {
        openBreakers: () => open,
      });
      expect((await t.service.tick()).sent).toEqual([]);
      t.setNow(NOW + 3 * MIN);
      const fired = await t.service.tick();
      expect(fired.sent.map((s) => [s.event, s.state.subject, s.state.severity])).toEqual([['firing', 'm-down', 'critical']]);
      open = [];
      t.setNow(NOW + 4 * MIN);
      expect((await t.service.tick()).sent.map((s) => [s.event, s.state.subject])).toEqual([['resolved', 'm-down']]);
    });

    it('router_learning: fires when the learning loop stalls and when routed outcomes score lower than before', async () => {
      const learning = new LearningStore(opened.store.db);
      const row = (i: number, score: number, scoredAtMs: number): LearningRowRecord => ({
        request_id: `req-${i}`,
        model: 'm-a',
        created_at: scoredAtMs - 1_000,
        task_type: 'qa',
        features: '',
        difficulty: 0,
        discrimination: 1,
        predicted: 0.8,
        router_version: 'v1',
        technique: null,
        explored: false,
        score,
        source: 'user',
        scored_at: scoredAtMs,
      });
      // 100 answers scored 0.9 three days ago, 60 scored 0.6 in the last two hours; no learned state since.
      await learning.insertRows([
        ...Array.from({ length: 100 }, (_, i) => row(i, 0.9, NOW - 72 * HOUR + i * MIN)),
        ...Array.from({ length: 60 }, (_, i) => row(1_000 + i, 0.6, NOW - 2 * HOUR + i * MIN)),
      ]);
      const t = alertServiceOn(opened.store, { destinations: destinations(), rules: [{ kind: 'router_learning' }] }, NOW);
      const fired = await t.service.tick();
      expect(fired.sent.map((s) => s.state.subject)).toEqual(['learned_state', 'outcome_score']);
      expect(fired.sent[0]?.state.value).toBe(100);
      expect(fired.sent[1]?.state.value).toBeCloseTo(0.6, 9);
      expect(fired.sent[0]?.state.message).toBe(
        'Router learning stalled: 100 scored outcomes have waited over 6h for a refit; no learned state has been fitted yet',
      );
      expect(fired.sent[1]?.state.message).toContain('mean outcome score of routed answers 0.600 over 60 scored in the last 1d against 0.900 over 100');
      // A refit an hour ago learned them all: the stall resolves.
      await learning.insertState({ id: 1, base_version: 'v1', created_at: NOW - HOUR, outcomes: 160, state: '{}' });
      t.setNow(NOW + MIN);
      expect((await t.service.tick()).sent.map((s) => [s.event, s.state.subject])).toEqual([['resolved', 'learned_state']]);
    });
  },
  30_000,
);
