import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/manage-keys.ts';
import type { RequestRow } from '../src/store/types.ts';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

/**
 * The exact-match response cache end to end, through the real openai SDK: hits never reach the
 * upstream (the simulated fleet counts its requests) and never touch a budget.
 */
const REDIS_URL = process.env.AIGW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const cacheOn = { enabled: true, ttl_s: 3600 };

type ChatParams = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
let prompts = 0;
/** A prompt no other test asked, so every test starts from an empty cache entry. */
const fresh = (topic: string) => `Explain ${topic} in two sentences (case ${++prompts}).`;
const greedy = (content: string, extra: Partial<ChatParams> = {}): ChatParams => ({
  model: 'sim-mini',
  messages: [{ role: 'user', content }],
  temperature: 0,
  ...extra,
});

async function rowOf(stack: TestStack, requestId: string | null): Promise<RequestRow> {
  await stack.gateway.runtime.gateway.writer.flush();
  const row = await stack.gateway.runtime.gateway.store.getRequest(requestId ?? '');
  if (!row) throw new Error(`no row for ${requestId}`);
  return row;
}

async function ask(client: OpenAI, params: ChatParams, headers: Record<string, string> = {}) {
  const { data, response } = await client.chat.completions.create(params, { headers }).withResponse();
  return { data, cache: response.headers.get('x-aigw-cache'), id: response.headers.get('x-aigw-request-id'), headers: response.headers };
}

async function askStream(client: OpenAI, params: ChatParams, headers: Record<string, string> = {}) {
  const { data: stream, response } = await client.chat.completions
    .create({ ...params, stream: true, stream_options: { include_usage: true } }, { headers })
    .withResponse();
  let text = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, finish, usage, cache: response.headers.get('x-aigw-cache'), id: response.headers.get('x-aigw-request-id') };
}

/** Stores are written just after the answer; give the write its tick. */
const settle = () => sleep(50);

describe('response cache (in-process)', () => {
  let stack: TestStack;
  const upstreamCalls = () => stack.sim.stats().requests;

  beforeAll(async () => {
    stack = await startTestStack({ config: (base) => ({ ...base, cache: cacheOn }) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('misses, then answers the same request from the cache without calling upstream', async () => {
    const params = greedy(fresh('tides'));
    const before = upstreamCalls();
    const first = await ask(stack.client, params);
    expect(first.cache).toBe('miss');
    await settle();
    const second = await ask(stack.client, params);
    expect(second.cache).toBe('hit');
    expect(upstreamCalls() - before).toBe(1);
    expect(second.data.choices).toEqual(first.data.choices);
    expect(second.data.model).toBe('sim-mini');
    expect(second.data.usage?.completion_tokens).toBe(first.data.usage?.completion_tokens);
    expect(second.data.id).not.toBe(first.data.id);
    expect(Number(second.headers.get('x-aigw-cost-usd'))).toBe(0);

    const paid = await rowOf(stack, first.id);
    const hit = await rowOf(stack, second.id);
    expect(paid).toMatchObject({ cache_hit: false, cache_saved_usd: 0, attempts: 1 });
    expect(paid.cost_usd).toBeGreaterThan(0);
    expect(hit).toMatchObject({ status: 200, cache_hit: true, cost_usd: 0, attempts: 0, model_used: 'sim-mini', provider: 'sim', finish_reason: 'stop' });
    expect(hit.cache_saved_usd).toBeCloseTo(paid.cost_usd, 15);
    expect(hit.input_tokens).toBe(paid.input_tokens);
    expect(hit.output_tokens).toBe(paid.output_tokens);
    expect(Number(second.headers.get('x-aigw-cache-saved-usd'))).toBeCloseTo(paid.cost_usd, 9);
  });

  it('replays a non-stream entry as a stream, with its usage chunk', async () => {
    const params = greedy(fresh('glaciers'));
    const first = await ask(stack.client, params);
    await settle();
    const before = upstreamCalls();
    const replay = await askStream(stack.client, params);
    expect(upstreamCalls()).toBe(before);
    expect(replay.cache).toBe('hit');
    expect(replay.text).toBe(first.data.choices[0]?.message.content);
    expect(replay.finish).toBe('stop');
    expect(replay.usage?.completion_tokens).toBe(first.data.usage?.completion_tokens);
    expect(await rowOf(stack, replay.id)).toMatchObject({ cache_hit: true, stream: true, cost_usd: 0, status: 200 });
  });

  it('stores a streamed answer and serves it to a non-stream request', async () => {
    const params = greedy(fresh('volcanoes'));
    const streamed = await askStream(stack.client, params);
    expect(streamed.cache).toBe('miss');
    await settle();
    const before = upstreamCalls();
    const second = await ask(stack.client, params);
    expect(upstreamCalls()).toBe(before);
    expect(second.cache).toBe('hit');
    expect(second.data.choices[0]?.message.content).toBe(streamed.text);
    expect(second.data.usage?.completion_tokens).toBe(streamed.usage?.completion_tokens);
    const paid = await rowOf(stack, streamed.id);
    expect((await rowOf(stack, second.id)).cache_saved_usd).toBeCloseTo(paid.cost_usd, 15);
  });

  it('replays tool calls, streamed and not', async () => {
    const params = greedy(fresh('the weather in Oslo'), {
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'required',
    });
    const first = await ask(stack.client, params);
    const call = first.data.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    await settle();
    const again = await ask(stack.client, params);
    expect(again.cache).toBe('hit');
    expect(again.data.choices).toEqual(first.data.choices);
    const { data: stream } = await stack.client.chat.completions.create({ ...params, stream: true }).withResponse();
    let args = '';
    let name = '';
    for await (const chunk of stream) {
      for (const t of chunk.choices[0]?.delta.tool_calls ?? []) {
        name += t.function?.name ?? '';
        args += t.function?.arguments ?? '';
      }
    }
    expect(call?.type === 'function' ? [call.function.name, call.function.arguments] : []).toEqual([name, args]);
  });

  it('different sampling parameters do not share an entry', async () => {
    const content = fresh('rivers');
    const variants: ChatParams[] = [
      greedy(content),
      greedy(content, { max_tokens: 30 }),
      greedy(content, { top_p: 0.5 }),
      greedy(content, { stop: ['\n\n'] }),
      greedy(content, { seed: 7 }),
      greedy(content, { presence_penalty: 0.3 }),
      greedy(content, { model: 'sim-nano' }),
    ];
    const before = upstreamCalls();
    for (const params of variants) {
      expect((await ask(stack.client, params)).cache).toBe('miss');
      await settle();
    }
    expect(upstreamCalls() - before).toBe(variants.length);
    expect((await ask(stack.client, greedy(content, { max_tokens: 30 }))).cache).toBe('hit');
  });

  it('a bypass header skips the lookup and the store', async () => {
    const params = greedy(fresh('deserts'));
    await ask(stack.client, params);
    await settle();
    const before = upstreamCalls();
    const bypassed = await ask(stack.client, params, { 'x-aigw-cache': 'bypass' });
    const noCache = await ask(stack.client, params, { 'cache-control': 'no-cache' });
    expect([bypassed.cache, noCache.cache]).toEqual(['bypass', 'bypass']);
    expect(upstreamCalls() - before).toBe(2);
    expect((await rowOf(stack, bypassed.id)).cache_hit).toBe(false);

    const other = greedy(fresh('canyons'));
    await ask(stack.client, other, { 'x-aigw-cache': 'bypass' });
    await settle();
    expect((await ask(stack.client, other)).cache).toBe('miss');
  });

  it('sampled requests are cached only when the request opts in', async () => {
    const params: ChatParams = { model: 'sim-mini', messages: [{ role: 'user', content: fresh('clouds') }] };
    const before = upstreamCalls();
    expect((await ask(stack.client, params)).cache).toBe('bypass');
    await settle();
    expect((await ask(stack.client, params)).cache).toBe('bypass');
    expect(upstreamCalls() - before).toBe(2);
    expect((await ask(stack.client, params, { 'x-aigw-cache': 'force' })).cache).toBe('miss');
    await settle();
    expect((await ask(stack.client, params, { 'x-aigw-cache': 'force' })).cache).toBe('hit');
    expect(upstreamCalls() - before).toBe(3);
  });

  it('a failed upstream answer is not stored', async () => {
    const params = greedy(fresh('storms'));
    const failed = await ask(stack.client, params, { 'x-sim-fail': '500' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.APIError);
    await settle();
    const before = upstreamCalls();
    expect((await ask(stack.client, params)).cache).toBe('miss');
    expect(upstreamCalls() - before).toBe(1);
  });

  it('counts hits, misses and bypasses in /metrics', async () => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    for (const result of ['hit', 'miss', 'bypass']) {
      const m = text.match(new RegExp(`aigw_cache_lookups_total\\{result="${result}"\\} (\\d+)`));
      expect(Number(m?.[1])).toBeGreaterThan(0);
    }
    expect(text).toMatch(/aigw_cache_saved_usd_total \d/);
  });

  it('reports what the hits saved in the cost analysis', async () => {
    await stack.gateway.runtime.gateway.writer.flush();
    const res = await fetch(`${stack.url}/v1/analytics/costs?timeframe=24h`);
    expect(res.status).toBe(200);
    const costs = (await res.json()) as { cache_hits: number; cache_saved_usd: number };
    expect(costs.cache_hits).toBeGreaterThanOrEqual(6);
    expect(costs.cache_saved_usd).toBeGreaterThan(0);
  });

  // Creating keys makes keys required from here on: these tests come last.
  it('keys of one team share answers; other teams and teamless keys do not', async () => {
    const g = stack.gateway.runtime.gateway;
    const mk = async (name: string, team?: string) => stack.clientWithKey((await createApiKey(g.store, { name, ...(team ? { team } : {}) })).key);
    const [red1, red2, blue, solo] = [await mk('red-1', 'red'), await mk('red-2', 'red'), await mk('blue-1', 'blue'), await mk('solo')];
    g.keysChanged();
    const params = greedy(fresh('auroras'));
    expect((await ask(red1, params)).cache).toBe('miss');
    await settle();
    expect((await ask(red2, params)).cache).toBe('hit');
    expect((await ask(blue, params)).cache).toBe('miss');
    expect((await ask(solo, params)).cache).toBe('miss');
    await settle();
    expect((await ask(solo, params)).cache).toBe('hit');
  });

  it('hits reserve and charge no budget, even when the budget is spent', async () => {
    const g = stack.gateway.runtime.gateway;
    const { key, row: keyRow } = await createApiKey(g.store, { name: 'tight', budget_daily_usd: 0.00003 });
    g.keysChanged();
    const client = stack.clientWithKey(key);
    const cached = greedy(fresh('lighthouses'), { model: 'sim-nano', max_tokens: 50 });
    const first = await ask(client, cached);
    await settle();
    let refused: unknown;
    for (let i = 0; i < 10 && !refused; i++) {
      refused = await ask(client, greedy(fresh('harbours'), { model: 'sim-nano', max_tokens: 50 })).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    await g.writer.flush();
    const spentUsd = await g.store.sumKeySpendSince(keyRow.id, 0);
    const hits = await Promise.all([ask(client, cached), ask(client, { ...cached, stream: false })]);
    expect(hits.map((h) => h.cache)).toEqual(['hit', 'hit']);
    await g.writer.flush();
    expect(await g.store.sumKeySpendSince(keyRow.id, 0)).toBeCloseTo(spentUsd, 15);
    const hitRow = await rowOf(stack, hits[0].id);
    expect(hitRow).toMatchObject({ cache_hit: true, cost_usd: 0, key_id: keyRow.id });
    expect(hitRow.cache_saved_usd).toBeCloseTo((await rowOf(stack, first.id)).cost_usd, 15);
  });
});

describe('response cache on Redis, shared by two gateways', () => {
  const redisPrefix = `aigw-test:cache-e2e:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let a: TestStack;
  let b: TestStack;

  beforeAll(async () => {
    const opts = { config: (base: object) => ({ ...base, cache: { enabled: true, ttl_s: 2 } }), env: { REDIS_URL, AIGW_REDIS_PREFIX: redisPrefix } };
    a = await startTestStack(opts);
    b = await startTestStack(opts);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${redisPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('an answer bought through one gateway is a hit on the other, streamed or not', async () => {
    const params = greedy(fresh('comets'));
    const first = await ask(a.client, params);
    expect(first.cache).toBe('miss');
    await settle();
    const fromB = await ask(b.client, params);
    expect(fromB.cache).toBe('hit');
    expect(fromB.data.choices).toEqual(first.data.choices);
    expect(b.sim.stats().requests).toBe(0);
    const streamed = await askStream(b.client, params);
    expect(streamed.cache).toBe('hit');
    expect(streamed.text).toBe(first.data.choices[0]?.message.content);
    expect(b.sim.stats().requests).toBe(0);
    const hitRow = await rowOf(b, fromB.id);
    expect(hitRow.cache_saved_usd).toBeCloseTo((await rowOf(a, first.id)).cost_usd, 15);
    expect(b.gateway.runtime.gateway.cache.backend.name).toBe('redis');
  });

  it('entries expire after ttl_s', async () => {
    const params = greedy(fresh('meteors'));
    await askStream(a.client, params);
    await settle();
    expect((await ask(b.client, params)).cache).toBe('hit');
    await sleep(2_100);
    expect((await ask(b.client, params)).cache).toBe('miss');
    expect(b.sim.stats().requests).toBe(1);
  });
});
