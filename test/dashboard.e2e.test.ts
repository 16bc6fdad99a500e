import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatUsd } from '../web/format.ts';
import { postJson, startTestStack, type TestStack } from './helpers/test-stack.ts';
import { GatewayConfig } from '../src/config/schema.ts';

// The dashboard in real headless Chromium (Debian's package; .ci/run installs it) against a gateway
// with an admin key, an API key with budgets and some traffic: it must ask for the admin key, say so
// when a wrong one is given, show what the analytics API says, list and filter requests, open one,
// and fit a 390 px phone screen. With AIGW_WRITE_SCREENSHOTS=1 its screenshots replace the ones
// docs/dashboard.md shows; otherwise they are taken (the page must render) and kept out of the tree,
// so `npm test` leaves the checkout clean.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_KEY = 'dashboard-admin-key';
const DOCS = join(import.meta.dirname, '..', 'docs');
const WRITE_SCREENSHOTS = process.env.AIGW_WRITE_SCREENSHOTS === '1';

/** Where a screenshot goes: docs/ when asked to refresh them, else nowhere (a buffer only). */
function screenshotPath(name: string): string | undefined {
  if (!WRITE_SCREENSHOTS) return undefined;
  mkdirSync(DOCS, { recursive: true });
  return join(DOCS, name);
}

let stack: TestStack;
let browser: Browser;
let apiKey: string;
const requestIds: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (bash .ci/run does), or set CHROMIUM_PATH`);
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY }, config: (base) => ({ ...base, server: { log_content: true } }) });
  const created = await fetch(`${stack.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'search-app', team: 'search', budget_daily_usd: 50, budget_monthly_usd: 500 }),
  });
  apiKey = ((await created.json()) as { key: string }).key;
  const client = stack.clientWithKey(apiKey);
  const prompts = [
    'Summarize: the meeting moved to Tuesday.',
    'Write a Python function that reverses a list.',
    'What is 17 * 23?',
    'Translate "good morning" into French.',
  ];
  for (const [i, content] of prompts.entries()) {
    const { response } = await client.chat.completions
      .create({ model: i % 2 === 0 ? 'auto' : 'sim-mini', messages: [{ role: 'user', content }] })
      .withResponse();
    const id = response.headers.get('x-aigw-request-id') ?? '';
    requestIds.push(id);
    await postJson(`${stack.url}/v1/feedback`, { request_id: id, score: i % 2 === 0 ? 1 : 0.5, source: 'user' }, { authorization: `Bearer ${apiKey}` });
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function admin<T>(path: string): Promise<T> {
  const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function signIn(page: Page, key: string, state: string): Promise<void> {
  await page.fill('#admin-key', key);
  await page.click('#key-form button');
  await page.waitForSelector(`body[data-state="${state}"]`);
}

/** Horizontal overflow of the page: 0 when nothing scrolls sideways. */
function sidewaysScrollPx(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('dashboard', () => {
  it('asks for the admin key, says when a key is refused, then shows the analytics API numbers, key spend and recommendations', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    await page.goto(`${stack.url}/dashboard`);
    await page.waitForSelector('body[data-state="auth"]');
    expect(await page.isVisible('#key-form')).toBe(true);
    expect(await page.isVisible('#key-error')).toBe(false);

    // A wrong key, then an ordinary API key: both refused with a message, the form stays.
    await signIn(page, 'not-the-admin-key', 'auth-rejected');
    expect(await page.textContent('#key-error')).toContain('That admin key was not accepted: This route requires the admin key.');
    await signIn(page, apiKey, 'auth-rejected');
    expect(await page.textContent('#key-error')).toContain('This key may not use admin routes');
    await signIn(page, ADMIN_KEY, 'ready');
    expect(await page.isVisible('#key-form')).toBe(false);

    const routing = await admin<{ total_requests: number; model_distribution: unknown[] }>('/v1/analytics/routing?timeframe=24h');
    const costs = await admin<{ total_cost_usd: number; by_model: unknown[] }>('/v1/analytics/costs?timeframe=24h&group_by=model,task_type');
    expect(routing.total_requests).toBe(4);
    expect(await page.textContent('[data-testid="kpi-requests"] .value')).toBe(formatCount(routing.total_requests));
    expect(await page.textContent('[data-testid="kpi-spend"] .value')).toBe(formatUsd(costs.total_cost_usd));
    expect(await page.locator('#chart-model-mix g.bar').count()).toBe(routing.model_distribution.length);
    expect(await page.locator('#chart-spend-model g.bar').count()).toBe(costs.by_model.length);
    expect(await page.getAttribute('#chart-cost-trend', 'data-bucket')).toBe('hour');
    expect(await page.locator('#performance-rows tr').count()).toBeGreaterThan(0);
    // Spend per key against its budgets: all four requests were the key's, today.
    const keyRow = page.locator('[data-testid="key-row"]');
    expect(await keyRow.count()).toBe(1);
    expect(await keyRow.textContent()).toContain(`${formatUsd(costs.total_cost_usd)} of $50.00`);

    // The goal picker asks the recommendations analysis for that goal (the report's default is balanced).
    expect(await page.inputValue('#goal')).toBe('balanced');
    const asked = page.waitForRequest((r) => r.url().includes('/v1/analytics/recommendations') && r.url().includes('goal=quality'));
    await page.selectOption('#goal', 'quality');
    await asked;
    await page.waitForSelector('body[data-state="ready"]');

    // One hour in minute buckets: sixty-odd points, not a two-point line.
    await page.selectOption('#timeframe', '1h');
    await page.waitForFunction(() => document.querySelector('#chart-cost-trend')?.getAttribute('data-bucket') === 'minute');
    expect(await page.textContent('[data-testid="kpi-requests"] .value')).toBe('4');
    // 60 or 61: a window that does not start on a whole minute touches one more.
    expect(await page.locator('#chart-cost-trend circle.point').count()).toBeGreaterThanOrEqual(60);
    expect(await page.locator('#chart-cost-trend circle.point').count()).toBeLessThanOrEqual(61);

    expect((await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true })).length).toBeGreaterThan(10_000);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);

  it('lists requests, filters them, and opens one with its decision, cost, latency, grades and prompt', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.goto(`${stack.url}/dashboard#requests`);
    await signIn(page, ADMIN_KEY, 'ready');

    const rows = page.locator('[data-testid="request-row"]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(4);
    // Newest first.
    expect(await rows.first().getAttribute('data-id')).toBe(requestIds[3]);
    expect(await page.textContent('#request-count')).toBe('1–4 of 4');

    // Filter by the routing model the client asked for: the two `auto` requests.
    await page.selectOption('#filter-routing_model', 'auto');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="request-row"]').length === 2);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toEqual([requestIds[2], requestIds[0]]);
    await page.selectOption('#filter-status', 'error');
    await page.waitForSelector('#request-rows td[colspan]');
    expect(await page.textContent('#request-rows')).toContain('no requests match');
    await page.selectOption('#filter-status', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="request-row"]').length === 2);

    // Open the first routed request.
    await page.click(`[data-testid="request-row"][data-id="${requestIds[0]}"]`);
    await page.waitForSelector('[data-testid="detail-decision"] table');
    const detail = await admin<{ model: string; decision: { candidates: unknown[]; chosen_model: string }; cost: { cost_usd: number } }>(
      `/admin/requests/${requestIds[0]}`,
    );
    expect(await page.locator('[data-testid="detail-decision"] tbody tr').count()).toBe(detail.decision.candidates.length);
    expect(await page.textContent('[data-testid="detail-decision"]')).toContain(`${detail.decision.chosen_model} (chosen)`);
    expect(await page.textContent('[data-testid="detail-cost"]')).toContain(formatUsd(detail.cost.cost_usd));
    expect(await page.textContent('[data-testid="detail-latency"]')).toContain('gateway overhead');
    expect(await page.textContent('[data-testid="detail-attempts"]')).toContain('upstream attempts');
    expect(await page.textContent('[data-testid="detail-feedback"]')).toContain('user');
    expect(await page.textContent('[data-testid="detail-content"]')).toContain('Summarize: the meeting moved to Tuesday.');
    expect((await page.screenshot({ path: screenshotPath('dashboard-requests.png'), fullPage: false })).length).toBeGreaterThan(10_000);
    await page.click('#detail-close');
    expect(await page.isVisible('#request-detail')).toBe(false);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);

  it('fits a 390 px phone screen without sideways scrolling, on both tabs', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${stack.url}/dashboard`);
    await signIn(page, ADMIN_KEY, 'ready');
    await page.waitForSelector('[data-testid="key-row"]');
    expect(await sidewaysScrollPx(page)).toBe(0);
    await page.click('[data-testid="tab-requests"]');
    await page.locator('[data-testid="request-row"]').first().waitFor();
    expect(await sidewaysScrollPx(page)).toBe(0);
    await page.locator('[data-testid="request-row"]').first().click();
    await page.waitForSelector('[data-testid="detail-latency"]');
    expect(await sidewaysScrollPx(page)).toBe(0);
    await context.close();
  }, 60_000);

  it('shows the firing alerts in a banner above the page', async () => {
    // Alerts on (to the log), with a rule the four requests' spend trips, evaluated once by the gateway's own service.
    const runtime = stack.gateway.runtime;
    const alerts = {
      destinations: [{ type: 'log' }],
      rules: [{ kind: 'cost_spike', id: 'demo_spend', max_usd: 1e-9, min_sample: 1, severity: 'critical' }],
      interval: '1h',
    };
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
    expect((await fetch(`${stack.url}/admin/requests`)).status).toBe(401);
  });
});
