import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/alerts/alerts.test-support.ts';
import type { AlertPayload } from '../src/alerts/types.ts';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

// Alerts on a running gateway: the gateway's own AlertService (ticked here instead of waiting a
// minute), a webhook that holds every delivery open while chat requests go through, /v1/alerts, the
// /metrics gauge, the MCP tool and the CLI.
const ADMIN_KEY = 'alerts-admin-key';
const BIN = resolve(import.meta.dirname, '../bin/aigw.mjs');
const run = promisify(execFile);

let stack: TestStack;
let hook: Receiver;
let slack: Receiver;

const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const chat = (content: string) => stack.client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }], max_tokens: 20 });

beforeAll(async () => {
  hook = await startReceiver({ hang: true });
  slack = await startReceiver();
  stack = await startTestStack({
    env: { AIGW_ADMIN_KEY: ADMIN_KEY },
    config: (base) => ({
      ...base,
      alerts: {
        destinations: [
          { id: 'ops', type: 'webhook', url: hook.url, timeout_ms: 60_000, max_attempts: 1 },
          { id: 'chat', type: 'webhook', url: slack.url, format: 'slack' },
        ],
        // Any spend at all is a spike here, so the first requests fire it.
        rules: [{ kind: 'cost_spike', id: 'any_spend', window: '1h', max_usd: 0.000_000_1, min_sample: 1, severity: 'critical' }],
        fix_timeout: '20s',
        // The test ticks the service itself; the timer's own ticks (one at start) must not race it.
        interval: '1h',
      },
    }),
  });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await hook?.close();
  await slack?.close();
});

describe('alerts on a running gateway', () => {
  it('fires from real traffic; a webhook holding its delivery open does not hold up requests', async () => {
    const g = stack.gateway.runtime.gateway;
    // The service's own start tick may still be running (it began before any traffic); a tick
    // called meanwhile would share it and see no spend. Wait it out so the tick below is fresh.
    await g.alerts?.tick();
    for (let i = 0; i < 3; i++) await chat(`What is ${i} + ${i}?`);
    await g.writer.flush();
    const tick = await g.alerts?.tick();
    expect(tick?.sent.map((t) => [t.event, t.state.ruleId])).toEqual([['firing', 'any_spend']]);
    // The ops webhook now holds the alert's delivery open (60 s timeout); requests keep being answered.
    await expect.poll(() => hook.arrived, { timeout: 20_000 }).toBe(1);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(`Name a colour, number ${i}.`)));
    expect(answers.every((a) => a.choices[0]?.message.content)).toBe(true);
    expect(hook.bodies).toHaveLength(0);
    expect(g.alerts?.deliverer.pending).toBeGreaterThan(0);
    hook.release();
    await g.alerts?.settle();
    expect(slack.bodies).toHaveLength(1);
    expect((slack.bodies[0] as { text: string }).text).toMatch(/^:rotating_light: CRITICAL: Spend spike: \$/);
  }, 60_000);

  it('shows what fires on /v1/alerts (admin only), /metrics and the MCP tool get_active_alerts', async () => {
    expect((await fetch(`${stack.url}/v1/alerts`)).status).toBe(401);
    const res = await fetch(`${stack.url}/v1/alerts`, { headers: admin });
    const body = (await res.json()) as { evaluating: boolean; firing: { rule_id: string; severity: string }[] };
    expect(body).toMatchObject({ evaluating: true, firing: [{ rule_id: 'any_spend', severity: 'critical' }] });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toContain('aigw_alerts_firing{rule="any_spend",kind="cost_spike",severity="critical"} 1');
    const client = new Client({ name: 'aigw-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp/intelligence-router`), { requestInit: { headers: admin } }));
    const r = await client.callTool({ name: 'get_active_alerts', arguments: { min_severity: 'warning' } });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ evaluating: true, firing: [{ rule_id: 'any_spend', kind: 'cost_spike', subject: 'total' }] });
    await client.close();
  });

  it('the CLI lists the rules and state, sends a test to each destination, and prints the history', async () => {
    const opts = { cwd: stack.dir, env: { ...process.env, AIGW_ADMIN_KEY: ADMIN_KEY } };
    const config = join(stack.dir, 'aigw.yaml');
    const list = await run(process.execPath, [BIN, 'alerts', 'list', '--config', config], opts);
    expect(list.stdout).toContain('any_spend');
    expect(list.stdout).toMatch(/Firing \(1\):\n {2}\[critical\] any_spend total: Spend spike/);
    hook.release();
    const test = await run(process.execPath, [BIN, 'alerts', 'test', '--config', config], opts);
    expect(test.stdout).toMatch(/chat\s+sent\s+1/);
    expect(test.stdout).toMatch(/ops\s+sent\s+1/);
    expect((hook.bodies.at(-1) as AlertPayload).event).toBe('test');
    const history = await run(process.execPath, [BIN, 'alerts', 'history', '--json', '--config', config], opts);
    const events = JSON.parse(history.stdout) as { event: string; deliveries: { destinationId: string; status: string }[] }[];
    expect(events.map((e) => e.event)).toEqual(['test', 'firing']);
    expect(events[1]?.deliveries.map((d) => [d.destinationId, d.status])).toEqual([
      ['chat', 'sent'],
      ['ops', 'sent'],
    ]);
  }, 60_000);
});
