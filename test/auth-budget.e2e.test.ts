import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

const ADMIN_KEY = 'test-admin-key-0123456789';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY } });
});
afterAll(async () => {
  await stack?.close();
});

async function createKey(body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${stack.url}/admin/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

async function rowStatus(err: unknown): Promise<{ status: number; error_type: string | null } | undefined> {
  const e = err as InstanceType<typeof OpenAI.APIError>;
  await stack.gateway.runtime.gateway.writer.flush();
  return stack.gateway.runtime.gateway.store.getRequest(e.headers?.get('x-aigw-request-id') ?? '');
}

const ask = (client: OpenAI) => client.chat.completions.create({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }], max_tokens: 50 });

describe('API keys, budgets and rate limits', () => {
  it('admin routes refuse requests without the admin key', async () => {
    const res = await fetch(`${stack.url}/admin/keys`);
    expect(res.status).toBe(401);
  });

  it('once a key exists, requests need a valid one', async () => {
    const key = await createKey({ name: 'app' });
    expect(key).toMatch(/^aigw_/);
    const missing = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(missing.status).toBe(401);
    expect(await rowStatus({ headers: missing.headers })).toMatchObject({ status: 401, error_type: 'missing_api_key' });
    const wrong = await ask(stack.clientWithKey('aigw_not-a-real-key')).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await rowStatus(wrong)).toMatchObject({ status: 401, error_type: 'invalid_api_key' });
    const ok = await ask(stack.clientWithKey(key));
    expect(ok.choices[0]?.message.content).toBeTruthy();
  });

  it('an ordinary key cannot reach admin routes, however the path is spelled', async () => {
    const key = await createKey({ name: 'ordinary' });
    for (const path of ['/admin/keys', '/%61dmin/keys', '/admin/%6beys']) {
      const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(403);
    }
    expect((await fetch(`${stack.url}/%61dmin/keys`)).status).toBe(401);
  });

  it('takes the auth scheme in any case (RFC 6750: "bearer", "BEARER")', async () => {
    const key = await createKey({ name: 'any-case' });
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      const res = await fetch(`${stack.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `${scheme} ${key}` },
        body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(res.status).toBe(200);
    }
  });

  it('a percent-encoded chat path still leaves its row', async () => {
    const key = await createKey({ name: 'encoded' });
    const res = await fetch(`${stack.url}/v1/chat/%63ompletions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(200);
    expect(await rowStatus({ headers: res.headers })).toMatchObject({ status: 200 });
  });

  it('the key list never shows the key itself', async () => {
    const res = await fetch(`${stack.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const body = JSON.stringify(await res.json());
    expect(body).not.toMatch(/aigw_[A-Za-z0-9_-]{20,}/);
  });

  it('a revoked key is refused', async () => {
    const key = await createKey({ name: 'temp' });
    const list = (await (await fetch(`${stack.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as {
      data: Array<{ id: string; name: string }>;
    };
    const id = list.data.find((k) => k.name === 'temp')?.id;
    const del = await fetch(`${stack.url}/admin/keys/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(del.status).toBe(200);
    await expect(ask(stack.clientWithKey(key))).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('revoking every key does not reopen the gateway to requests without one', async () => {
    const headers = { authorization: `Bearer ${ADMIN_KEY}` };
    const list = (await (await fetch(`${stack.url}/admin/keys`, { headers })).json()) as { data: Array<{ id: string; revoked_at: string | null }> };
    for (const k of list.data.filter((k) => k.revoked_at === null)) {
      await fetch(`${stack.url}/admin/keys/${k.id}`, { method: 'DELETE', headers });
    }
    const res = await fetch(`${stack.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-nano', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(res.status).toBe(401);
  });

  it('a key over its budget gets 429 budget_exceeded', async () => {
    // sim-nano: $0.05 in / $0.20 out per 1M; 50 output tokens reserve ~$0.00001 per request.
    const key = await createKey({ name: 'tight', budget_daily_usd: 0.000025 });
    const client = stack.clientWithKey(key);
    await ask(client);
    let err: unknown;
    for (let i = 0; i < 5 && !err; i++)
      err = await ask(client).then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    expect(await rowStatus(err)).toMatchObject({ status: 429, error_type: 'budget_exceeded' });
  });

  it('a budget 429 names the worst-case reservation that did not fit, not just the spend so far', async () => {
    // Nothing spent yet: without max_tokens, sim-large's whole max output is reserved, over a $0.001 budget.
    const key = await createKey({ name: 'worst-case', budget_daily_usd: 0.001 });
    const err = await stack
      .clientWithKey(key)
      .chat.completions.create({ model: 'sim-large', messages: [{ role: 'user', content: 'hello' }] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const message = (err as Error).message;
    expect(message).toMatch(
      /worst-case cost \$\d+\.\d{6} \(\d+ prompt tokens \+ up to \d+ output tokens \(sim-large's max output, as no max_tokens was sent\) on sim-large\)/,
    );
    expect(message).toContain("this key's day budget of $0.001 ($0.000000 already spent or reserved, $0.001000 left)");
    expect(message).toContain('Send a lower max_tokens to reserve less.');
    // With a small max_tokens the same request fits.
    await expect(
      stack.clientWithKey(key).chat.completions.create({ model: 'sim-large', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] }),
    ).resolves.toBeDefined();
  });

  it('concurrent requests cannot overspend a budget', async () => {
    const budgetUsd = 0.0002;
    const key = await createKey({ name: 'burst', budget_daily_usd: budgetUsd });
    const client = stack.clientWithKey(key);
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => ask(client)));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(60);
    const g = stack.gateway.runtime.gateway;
    await g.writer.flush();
    const keyRow = (await g.store.listApiKeys()).find((k) => k.name === 'burst');
    const spent = await g.store.sumKeySpendSince(keyRow?.id ?? '', 0);
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(budgetUsd);
  });

  it('a key over its requests-per-minute limit gets 429 with retry-after', async () => {
    const key = await createKey({ name: 'slow', rpm_limit: 2 });
    const client = stack.clientWithKey(key);
    await ask(client);
    await ask(client);
    const err = await ask(client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.code).toBe('rate_limit_exceeded');
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(await rowStatus(err)).toMatchObject({ status: 429, error_type: 'rate_limit_exceeded' });
  });

  it('a key with a rate limit and a budget: the rate limit answers first and its refusal holds no budget', async () => {
    // One Redis round trip carries both checks for a named model; the outcomes are the sequential path's.
    const key = await createKey({ name: 'both', rpm_limit: 2, budget_daily_usd: 0.000025 });
    const client = stack.clientWithKey(key);
    await ask(client);
    await ask(client);
    // Over its rate limit and (with the spend so far) over its budget: the rate limit's 429 wins.
    const limited = await ask(client).catch((e: unknown) => e);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    // An unknown model is rate limited before it is refused, as before.
    const unknown = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect((unknown as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    // Within its budget but over its rate limit: the reservation made alongside is released.
    const roomy = stack.clientWithKey(await createKey({ name: 'both-roomy', rpm_limit: 1, budget_daily_usd: 1 }));
    await ask(roomy);
    expect(((await ask(roomy).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    const g = stack.gateway.runtime.gateway;
    const keyRow = (await g.store.listApiKeys()).find((k) => k.name === 'both-roomy');
    expect((await g.ledger.spent(keyRow?.id ?? '', Date.now())).reservedUsd).toBe(0);
  });
});
