import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatUsd } from '../web/format.ts';
import { postJson, startTestStack, type TestStack } from './helpers/test-stack.ts';
import { GatewayConfig } from '../src/config/schema.ts';

// The dashboard in real headless Chromium (Debian's package; .ci/run installs it) against a gateway
// with an admin key and some traffic: it must ask for the key, then show what the analytics API says.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_KEY = 'dashboard-admin-key';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH`);
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY } });
  const prompts = ['Summarize: the meeting moved to Tuesday.', 'Write a Python function that reverses a list.', 'What is 17 * 23?', 'Translate "good morning" into French.'];
  for (const [i, content] of prompts.entries()) {
    const { response } = await stack.client.chat.completions.create({ model: i % 2 === 0 ? 'auto' : 'sim-mini', messages: [{ role: 'user', content }] }).withResponse();
    await postJson(`${stack.url}/v1/feedback`, { request_id: response.headers.get('x-aigw-request-id'), score: i % 2 === 0 ? 1 : 0.5, source: 'user' });
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function analysis<T>(name: string, query = 'timeframe=24h'): Promise<T> {
  const res = await fetch(`${stack.url}/v1/analytics/${name}?${query}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('dashboard', () => {
  it('asks for the admin key, then shows the analytics API numbers, charts and recommendations', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await page.goto(`${stack.url}/dashboard`);
    await page.waitForSelector('body[data-state="auth"]');
    expect(await page.isVisible('#key-form')).toBe(true);
    await page.fill('#admin-key', ADMIN_KEY);
    await page.click('#key-form button');
    await page.waitForSelector('body[data-state="ready"]');

    const routing = await analysis<{ total_requests: number; model_distribution: unknown[] }>('routing');
    const costs = await analysis<{ total_cost_usd: number; by_model: unknown[] }>('costs', 'timeframe=24h&group_by=model,task_type&bucket=hour');
    expect(routing.total_requests).toBe(4);
    expect(await page.textContent('[data-testid="kpi-requests"] .value')).toBe(formatCount(routing.total_requests));
    expect(await page.textContent('[data-testid="kpi-spend"] .value')).toBe(formatUsd(costs.total_cost_usd));
    expect(await page.locator('#chart-model-mix g.bar').count()).toBe(routing.model_distribution.length);
    expect(await page.locator('#chart-spend-model g.bar').count()).toBe(costs.by_model.length);
    expect(await page.locator('#chart-cost-trend circle.point').count()).toBeGreaterThan(1);
    expect(await page.locator('#performance-rows tr').count()).toBeGreaterThan(0);

    // The timeframe selector reloads: the last hour holds the same four requests.
    await page.selectOption('#timeframe', '1h');
    await page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('updated'));
    expect(await page.textContent('[data-testid="kpi-requests"] .value')).toBe('4');

    const shot = join(mkdtempSync(join(tmpdir(), 'aigw-dashboard-')), 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the firing alerts in a banner above the page', async () => {
    // Alerts on (to the log), with a rule the four requests' spend trips, evaluated once by the gateway's own service.
    const runtime = stack.gateway.runtime;
    const alerts = { destinations: [{ type: 'log' }], rules: [{ kind: 'cost_spike', id: 'demo_spend', max_usd: 1e-9, min_sample: 1, severity: 'critical' }], interval: '1h' };
    runtime.reload(GatewayConfig.parse({ ...runtime.gateway.config, alerts }));
    await runtime.gateway.writer.flush();
    expect((await runtime.gateway.alerts?.tick())?.sent).toHaveLength(1);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.url}/dashboard`);
    await page.waitForSelector('body[data-state="auth"]');
    await page.fill('#admin-key', ADMIN_KEY);
    await page.click('#key-form button');
    await page.waitForSelector('#alerts-banner [data-testid="alert"]');
    expect(await page.isVisible('#alerts-banner')).toBe(true);
    expect(await page.getAttribute('#alerts-banner', 'data-severity')).toBe('critical');
    const alert = page.locator('#alerts-banner [data-testid="alert"]');
    expect(await alert.count()).toBe(1);
    expect(await alert.getAttribute('data-rule')).toBe('demo_spend');
    expect(await alert.textContent()).toMatch(/^critical Spend spike: \$[0-9.e-]+ over the last 1h, above the \$[0-9.e-]+ ceiling/);
    await context.close();
  }, 60_000);

  it('serves the page and its script without a key, and no data without one', async () => {
    expect((await fetch(`${stack.url}/dashboard`)).status).toBe(200);
    const script = await fetch(`${stack.url}/dashboard/app.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await fetch(`${stack.url}/v1/analytics/routing?timeframe=24h`)).status).toBe(401);
  });
});
