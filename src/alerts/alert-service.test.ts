import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertHistory, type HistoryRequest } from '../analytics/fixture-history.test-support.ts';
import type { GatewayConfigInput } from '../config/schema.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import { listEvents, readAlertStates } from './alert-store.ts';
import { alertServiceOn, startReceiver, stopAlertServices, type Receiver } from './alerts.test-support.ts';
import type { AlertPayload } from './types.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 10, 12, 30);

/** 30 requests of `model` in the 15 minutes before NOW, 9 of them server errors: a 30% error rate. */
function failingModel(model: string): HistoryRequest[] {
  return Array.from({ length: 30 }, (_, i) => ({
    atMs: NOW - 10 * MIN + i * 1_000,
    request: { model_used: model, ...(i < 9 ? { status: 502, error_type: 'upstream_error' } : {}) },
  }));
}

const errorRule = [{ kind: 'error_rate' as const, window: '15m', max_rate: 0.05 }];

describe.each(TEST_BACKENDS)(
  'alert service ($name)',
  (backend) => {
    let opened: OpenedTestStore;
    let generic: Receiver;
    let slack: Receiver;
    let alerts: GatewayConfigInput['alerts'];
    const reopened: KyselyStore[] = [];

    beforeEach(async () => {
      opened = await backend.open();
      [generic, slack] = await Promise.all([startReceiver(), startReceiver()]);
      alerts = {
        destinations: [
          { id: 'ops', type: 'webhook', url: generic.url, backoff_ms: 10 },
          { id: 'chat', type: 'webhook', url: slack.url, format: 'slack', min_severity: 'warning', backoff_ms: 10 },
        ],
        rules: errorRule,
      };
    });
    afterEach(async () => {
      await stopAlertServices();
      await Promise.all([generic.close(), slack.close()]);
      for (const s of reopened.splice(0)) await s.close();
      await opened.cleanup();
    });

    it('two replicas on one store send one alert, not two; a restarted replica does not send it again', async () => {
      await insertHistory(opened.store, failingModel('m-a'));
      // Two PostgreSQL pools, as two gateway processes have. Two SQLite handles in one process would block
      // each other (better-sqlite3 waits for a lock synchronously), so the SQLite replicas share one handle.
      const second = backend.name === 'postgres' ? await opened.reopen() : opened.store;
      if (second !== opened.store) reopened.push(second);
      const a = alertServiceOn(opened.store, alerts, NOW, { replicaId: 'replica-a' });
      const b = alertServiceOn(second, alerts, NOW, { replicaId: 'replica-b' });
      const [ra, rb] = await Promise.all([a.service.tick(), b.service.tick()]);
      expect([ra.skipped, rb.skipped].filter((s) => s === 'not_leader')).toHaveLength(1);
      expect(ra.sent.length + rb.sent.length).toBe(1);
      // Without the lease (it expired mid-tick, say) the claim on the state row still lets only one send.
      a.setNow(NOW + MIN);
      b.setNow(NOW + MIN);
      await Promise.all([a.service.tick(), b.service.tick()]);
      await Promise.all([a.service.settle(), b.service.settle()]);
      expect(generic.bodies).toHaveLength(1);
      expect(slack.bodies).toHaveLength(1);

      // The generic body and the Slack message of the same event.
      const body = generic.bodies[0] as AlertPayload;
      expect(body).toMatchObject({
        version: 1,
        event: 'firing',
        alert: { rule_id: 'error_rate', kind: 'error_rate', subject: 'm-a', status: 'firing', severity: 'warning', threshold: 0.05 },
      });
      expect(body.alert.value).toBeCloseTo(0.3, 9);
      const message = slack.bodies[0] as { text: string; blocks: { type: string }[] };
      expect(message.text).toBe(`:warning: WARNING: ${body.alert.message}`);
      expect(message.blocks.map((x) => x.type)).toEqual(['section', 'context', 'section']);

      // A restart: the store is reopened and a new service (a new replica id) evaluates the same data.
      await a.service.stop();
      await b.service.stop();
      const restarted = await opened.reopen();
      reopened.push(restarted);
      const c = alertServiceOn(restarted, alerts, NOW + 2 * MIN, { replicaId: 'replica-c' });
      const rc = await c.service.tick();
      expect(rc.skipped).toBeUndefined();
      expect(rc.sent).toEqual([]);
      await c.service.settle();
      expect(generic.bodies).toHaveLength(1);
      const events = await listEvents(restarted.db);
      expect(events.map((e) => [e.event, e.deliveries.map((d) => [d.destinationId, d.status])])).toEqual([
        [
          'firing',
          [
            ['chat', 'sent'],
            ['ops', 'sent'],
          ],
        ],
      ]);
      expect(await c.registry.getSingleMetricAsString('aigw_alerts_firing')).toContain(
        'aigw_alerts_firing{rule="error_rate",kind="error_rate",severity="warning"} 1',
      );
      await c.service.stop();
    });

    it('a failing webhook is retried with backoff, then shown as failed in the history, the log and the metrics', async () => {
      await generic.close();
      generic = await startReceiver({ status: () => 503 });
      await slack.close();
      slack = await startReceiver({ status: (n) => (n < 3 ? 500 : 200) });
      alerts = {
        ...alerts,
        destinations: [
          { id: 'ops', type: 'webhook', url: generic.url, max_attempts: 3, backoff_ms: 5 },
          { id: 'chat', type: 'webhook', url: slack.url, format: 'slack', max_attempts: 3, backoff_ms: 5 },
        ],
      };
      await insertHistory(opened.store, failingModel('m-a'));
      const t = alertServiceOn(opened.store, alerts, NOW);
      await t.service.tick();
      await t.service.settle();
      expect(generic.arrived).toBe(3);
      expect(slack.arrived).toBe(3);
      expect(slack.bodies).toHaveLength(1);
      const events = await listEvents(opened.store.db);
      const fired = events.find((e) => e.event === 'firing');
      expect(fired?.deliveries).toEqual([
        expect.objectContaining({ destinationId: 'chat', status: 'sent', attempts: 3, lastError: null }),
        expect.objectContaining({ destinationId: 'ops', status: 'failed', attempts: 3, lastError: 'HTTP 503: no' }),
      ]);
      const failure = events.find((e) => e.event === 'delivery_failed');
      expect(failure?.message).toBe(`could not deliver ${fired?.id} to ops after 3 attempt(s): HTTP 503: no`);
      const metrics = await t.registry.metrics();
      expect(metrics).toContain('aigw_alert_deliveries_total{destination="ops",outcome="failed"} 1');
      expect(metrics).toContain('aigw_alert_deliveries_total{destination="ops",outcome="retry"} 3');
      expect(metrics).toContain('aigw_alert_destination_up{destination="ops"} 0');
      expect(metrics).toContain('aigw_alert_destination_up{destination="chat"} 1');
    });

    it('a webhook that never answers is cut at its timeout and never holds up the next evaluation', async () => {
      await generic.close();
      generic = await startReceiver({ hang: true });
      alerts = { ...alerts, destinations: [{ id: 'ops', type: 'webhook', url: generic.url, timeout_ms: 200, max_attempts: 2, backoff_ms: 5 }] };
      await insertHistory(opened.store, [...failingModel('m-a')]);
      const t = alertServiceOn(opened.store, alerts, NOW);
      expect((await t.service.tick()).sent).toHaveLength(1);
      // The tick returned while the delivery hangs; the next tick runs at once.
      await insertHistory(opened.store, failingModel('m-b'));
      expect((await t.service.tick()).sent.map((s) => s.state.subject)).toEqual(['m-b']);
      await t.service.settle();
      const events = await listEvents(opened.store.db);
      expect(events.filter((e) => e.event === 'firing').flatMap((e) => e.deliveries.map((d) => [d.status, d.attempts]))).toEqual([
        ['failed', 2],
        ['failed', 2],
      ]);
      expect(events.find((e) => e.event === 'delivery_failed')?.message).toMatch(/after 2 attempt\(s\): .*(aborted|timeout)/i);
    });

    it('stays silent without a destination, and alerts of a removed rule stop firing without a message', async () => {
      await insertHistory(opened.store, failingModel('m-a'));
      const t = alertServiceOn(opened.store, { rules: errorRule }, NOW);
      expect((await t.service.tick()).skipped).toBe('no_destinations');
      expect(await readAlertStates(opened.store.db)).toEqual([]);
      t.setConfig(alerts);
      expect((await t.service.tick()).sent).toHaveLength(1);
      t.setConfig({ ...alerts, rules: [{ kind: 'breaker_open' }] });
      expect((await t.service.tick()).sent).toEqual([]);
      expect((await readAlertStates(opened.store.db))[0]).toMatchObject({ subject: 'm-a', state: 'resolved' });
    });

    it('a scheduled review writes the report to its directory and posts its executive summary, once per `every`', async () => {
      await insertHistory(opened.store, failingModel('m-a'));
      const cwd = mkdtempSync(join(tmpdir(), 'aigw-review-'));
      try {
        const reviews = {
          ...alerts,
          rules: [],
          reviews: [{ id: 'weekly', every: '7d', timeframe: '24h' as const, format: 'md' as const, to: ['dir:reviews', 'ops'] }],
        };
        const t = alertServiceOn(opened.store, reviews, NOW, { cwd });
        await t.service.tick();
        await t.service.settle();
        const files = readdirSync(join(cwd, 'reviews'));
        expect(files).toEqual(['aigw-review-weekly-2026-01-10T123000Z.md']);
        expect(readFileSync(join(cwd, 'reviews', files[0] ?? ''), 'utf8')).toContain('# LLM Routing Optimization Report');
        const posted = generic.bodies[0] as AlertPayload;
        expect(posted).toMatchObject({
          event: 'review',
          review: { id: 'weekly', summary: { total_requests: 30 }, report_paths: [join(cwd, 'reviews', files[0] ?? '')] },
        });
        t.setNow(NOW + 6 * 24 * 60 * MIN);
        await t.service.tick();
        await t.service.settle();
        expect(generic.bodies).toHaveLength(1);
        t.setNow(NOW + 7 * 24 * 60 * MIN);
        await t.service.tick();
        await t.service.settle();
        expect(generic.bodies).toHaveLength(2);
        expect(existsSync(join(cwd, 'reviews', 'aigw-review-weekly-2026-01-17T123000Z.md'))).toBe(true);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  },
  30_000,
);
