import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costUsd } from '../src/costs/cost.ts';
import type { OptimizationJson } from '../src/pipeline/optimization-record.ts';
import type { OptimizationImpact } from '../src/server/routes/optimization-impact.ts';
import type { CandidateScore, DecisionRow, RequestRow } from '../src/store/types.ts';
import { RecordingProxy, type UpstreamSeen } from './helpers/recording-proxy.ts';
import { postJson, startTestStack, type TestStack } from './helpers/test-stack.ts';

/**
 * The OptiLLM-compatible API end to end, with the real openai SDK: a recording proxy sits between
 * the gateway and the simulated fleet, so every upstream request and the usage it reported are seen
 * independently of the gateway's own accounting.
 */

const ADMIN_KEY = 'optimizer-admin-key-0123456789';

const proxy = new RecordingProxy();
let stack: TestStack;
let onKey: OpenAI;
let offKey: OpenAI;
let onKeySecret: string;
let offKeySecret: string;

async function createKey(name: string): Promise<string> {
  const res = await postJson(`${stack.url}/admin/keys`, { name }, { authorization: `Bearer ${ADMIN_KEY}` });
  expect(res.status).toBe(201);
  return res.json['key'] as string;
}

beforeAll(async () => {
  await proxy.start();
  stack = await startTestStack({
    env: { AIGW_ADMIN_KEY: ADMIN_KEY },
    config: (base) => {
      const provider = base.providers![0]!;
      proxy.targetUrl = provider.base_url.replace(/\/v1$/, '');
      return {
        ...base,
        providers: [{ ...provider, base_url: `${proxy.url}/v1` }],
        optimizer: {
          disabled_keys: ['opt-off'],
          max_upstream_requests: 8,
          task_types: { math: { technique: 'self_consistency', options: { k: 3 }, tiers: ['economy'] } },
        },
      };
    },
  });
  onKeySecret = await createKey('opt-on');
  offKeySecret = await createKey('opt-off');
  onKey = stack.clientWithKey(onKeySecret);
  offKey = stack.clientWithKey(offKeySecret);
});
afterAll(async () => {
  await stack?.close();
  await proxy.close();
});

async function rowOf(requestId: string | null | undefined): Promise<RequestRow> {
  expect(requestId).toBeTruthy();
  await stack.gateway.runtime.gateway.writer.flush();
  const row = await stack.gateway.runtime.gateway.store.getRequest(requestId ?? '');
  expect(row).toBeDefined();
  return row!;
}

async function decisionOf(requestId: string): Promise<DecisionRow> {
  const decision = await stack.gateway.runtime.gateway.store.getDecisionByRequest(requestId);
  expect(decision).toBeDefined();
  return decision!;
}

function optimizationOf(row: RequestRow): OptimizationJson {
  expect(row.optimization).not.toBeNull();
  return JSON.parse(row.optimization ?? '{}') as OptimizationJson;
}

/** Sums what the upstream reported, and prices it with the catalog, independently of the gateway. */
function upstreamTotals(seen: UpstreamSeen[]) {
  const models = stack.gateway.runtime.gateway.catalog;
  let prompt = 0;
  let completion = 0;
  let reasoning = 0;
  let cost = 0;
  for (const s of seen) {
    const reasoningTokens = s.usage.completion_tokens_details?.reasoning_tokens ?? 0;
    prompt += s.usage.prompt_tokens;
    completion += s.usage.completion_tokens;
    reasoning += reasoningTokens;
    const pricing = models.target(s.model)!.model.pricing;
    cost += costUsd(
      { inputTokens: s.usage.prompt_tokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: s.usage.completion_tokens, reasoningTokens },
      pricing,
    );
  }
  return { prompt, completion, reasoning, cost, requests: seen.length };
}

/** Body fields the SDK's types do not know (OptiLLM's, the gateway's `aigw`); the SDK sends them as they are. */
type WithExtras<T> = T & { optillm_approach?: unknown; optillm_options?: unknown; aigw?: unknown };
function body<T extends OpenAI.ChatCompletionCreateParams>(params: WithExtras<T>): T {
  return params;
}

const MATH = 'A shop sells pens at 3 dollars each. How much do 17 pens cost? Give the final answer as a number.';

describe('selecting a technique the OptiLLM ways', () => {
  it('model-name prefix: re2-sim-mini runs re2 on sim-mini, usage and cost summed over every upstream call', async () => {
    const upstream = proxy.mark();
    const { data, response } = await onKey.chat.completions.create({ model: 're2-sim-mini', messages: [{ role: 'user', content: MATH }] }).withResponse();
    const seen = upstream();
    const totals = upstreamTotals(seen);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('sim-mini');
    expect(data.choices[0]?.message.content).toBeTruthy();
    // re2 is one call with the question stated twice.
    expect(seen.map((s) => [s.model, s.n])).toEqual([['sim-mini', 1]]);
    expect(data.usage).toMatchObject({ prompt_tokens: totals.prompt, completion_tokens: totals.completion, total_tokens: totals.prompt + totals.completion });
    expect(response.headers.get('x-aigw-technique')).toBe('re2');
    expect(response.headers.get('x-aigw-technique-source')).toBe('prefix');
    expect(Number(response.headers.get('x-aigw-upstream-calls'))).toBe(totals.requests);
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBeCloseTo(totals.cost, 10);

    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({
      status: 200,
      model_requested: 're2-sim-mini',
      model_used: 'sim-mini',
      provider: 'sim',
      input_tokens: totals.prompt,
      output_tokens: totals.completion,
    });
    expect(row.cost_usd).toBeCloseTo(totals.cost, 12);
    const opt = optimizationOf(row);
    expect(opt).toMatchObject({
      technique: 're2',
      source: 'prefix',
      upstream_calls: totals.requests,
      usage: { input_tokens: totals.prompt, output_tokens: totals.completion },
    });
    expect(opt.cost_usd).toBeCloseTo(totals.cost, 12);
    expect(opt.calls.map((c) => [c.label, c.model, c.upstream_requests])).toEqual([['re2', 'sim-mini', 1]]);
    expect(opt.calls[0]?.cost_usd).toBeCloseTo(totals.cost, 12);
    expect(opt.plain_estimate_usd).toBeGreaterThan(0);
    expect(opt.bounds.max_upstream_requests).toBeGreaterThanOrEqual(totals.requests);
  });

  it('optillm_approach body field with options: self_consistency k=3 uses the upstream n in one request', async () => {
    const upstream = proxy.mark();
    const { data, response } = await onKey.chat.completions
      .create(body({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], optillm_approach: 'self_consistency', optillm_options: { k: 3 } }))
      .withResponse();
    const seen = upstream();
    const totals = upstreamTotals(seen);
    expect(seen.map((s) => [s.model, s.n])).toEqual([['sim-mini', 3]]);
    expect(data.usage?.prompt_tokens).toBe(totals.prompt);
    expect(data.usage?.completion_tokens).toBe(totals.completion);
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, model_requested: 'sim-mini', input_tokens: totals.prompt, output_tokens: totals.completion });
    const opt = optimizationOf(row);
    expect(opt).toMatchObject({ technique: 'self_consistency', source: 'body', options: { k: 3 }, upstream_calls: totals.requests });
    expect(opt.calls.some((c) => c.params.n === 3 && c.upstream_requests === 1)).toBe(true);
  });

  it('emulates n with parallel requests on a model without n, and sums their reasoning tokens', async () => {
    const upstream = proxy.mark();
    const { data, response } = await onKey.chat.completions
      .create(body({ model: 'sim-reasoner', messages: [{ role: 'user', content: MATH }], optillm_approach: 'self_consistency', optillm_options: { k: 3 } }))
      .withResponse();
    const seen = upstream();
    const totals = upstreamTotals(seen);
    expect(seen.map((s) => [s.model, s.n])).toEqual([
      ['sim-reasoner', 1],
      ['sim-reasoner', 1],
      ['sim-reasoner', 1],
    ]);
    expect(totals.reasoning).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(totals.reasoning);
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ input_tokens: totals.prompt, output_tokens: totals.completion, reasoning_tokens: totals.reasoning });
    expect(row.cost_usd).toBeCloseTo(totals.cost, 12);
    const opt = optimizationOf(row);
    expect(opt.upstream_calls).toBe(3);
    expect(opt.calls).toEqual([
      expect.objectContaining({ label: 'self_consistency:sample', model: 'sim-reasoner', upstream_requests: 3, params: expect.objectContaining({ n: 3 }) }),
    ]);
    expect(opt.usage.reasoning_tokens).toBe(totals.reasoning);
  });

  it('<optillm_approach> tag in the system message, streamed through the SDK with a usage chunk', async () => {
    const upstream = proxy.mark();
    const { data: stream, response } = await onKey.chat.completions
      .create({
        model: 'sim-mini',
        messages: [
          { role: 'system', content: 'You are careful. <optillm_approach>re2</optillm_approach>' },
          { role: 'user', content: MATH },
        ],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let chunks = 0;
    let role: string | undefined;
    let finish: string | null | undefined;
    const usages: OpenAI.CompletionUsage[] = [];
    for await (const chunk of stream) {
      chunks++;
      role ??= chunk.choices[0]?.delta.role;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usages.push(chunk.usage);
    }
    const seen = upstream();
    const totals = upstreamTotals(seen);
    expect(role).toBe('assistant');
    expect(finish).toBeTruthy();
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(text.length).toBeGreaterThan(0);
    expect(usages).toHaveLength(1);
    expect(usages[0]).toMatchObject({ prompt_tokens: totals.prompt, completion_tokens: totals.completion });
    // usage.cost: the technique's summed cost, in the usage chunk as in the header.
    expect((usages[0] as { cost?: number }).cost).toBeCloseTo(totals.cost, 10);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(Number(response.headers.get('x-aigw-cost-usd'))).toBeCloseTo(totals.cost, 10);
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, stream: true, input_tokens: totals.prompt, output_tokens: totals.completion });
    expect(row.ttft_ms).not.toBeNull();
    expect(optimizationOf(row)).toMatchObject({ technique: 're2', source: 'tag' });
  });

  it('the router choosing "cheap model + technique" runs it exactly as if the client had asked', async () => {
    // On this fleet an equation harder than a one-step one at min_quality 0.6 and goal cost ranks sim-small-code +
    // self_consistency(k=3) first: predicted above 0.6 for less than sim-standard (see GET /v1/route for the
    // candidates). A one-step equation (3x + 7 = 22) is easy enough for sim-small-code alone.
    const upstream = proxy.mark();
    const params = body<OpenAI.ChatCompletionCreateParamsNonStreaming>({
      model: 'auto',
      messages: [{ role: 'user', content: 'Solve for x: log2(x) + log2(x - 2) = 3. What is x?' }],
      aigw: { goal: 'cost', min_quality: 0.6 },
    });
    const { data, response } = await onKey.chat.completions.create(params).withResponse();
    const seen = upstream();
    const totals = upstreamTotals(seen);
    expect(response.headers.get('x-aigw-technique')).toBe('self_consistency');
    expect(response.headers.get('x-aigw-technique-source')).toBe('router');
    expect(response.headers.get('x-aigw-decision-id')).toBeTruthy();
    expect(seen.map((s) => [s.model, s.n])).toEqual([[data.model, 3]]);
    expect(data.usage?.prompt_tokens).toBe(totals.prompt);
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, model_requested: 'auto', task_type: 'math', decision_id: response.headers.get('x-aigw-decision-id') });
    expect(optimizationOf(row)).toMatchObject({ technique: 'self_consistency', source: 'router', options: { k: 3 }, upstream_calls: 1 });
    // The decision log shows that the pairing was chosen and why: ranked first among the candidates,
    // predicted to meet the target for less than every plain model that meets it, the model alone not.
    const decision = await decisionOf(row.id);
    const pairing = `${data.model}+self_consistency(k=3)`;
    const candidates = JSON.parse(decision.candidates) as CandidateScore[];
    expect(decision.chosen_model).toBe(data.model);
    expect(candidates[0]).toMatchObject({ model: pairing, eligible: true });
    expect(candidates[0]!.predictedQuality).toBeGreaterThanOrEqual(0.6);
    const plainMeeting = candidates.filter((c) => c.eligible && !c.model.includes('+'));
    expect(plainMeeting.length).toBeGreaterThan(0);
    expect(candidates[0]!.estCostUsd).toBeLessThan(Math.min(...plainMeeting.map((c) => c.estCostUsd)));
    expect(candidates.find((c) => c.model === data.model)).toMatchObject({ eligible: false, reason: expect.stringContaining('< required 0.60') });
    expect(decision.rationale).toContain(`${pairing} predicted`);
    expect(decision.rationale).toContain(`${data.model} alone predicted`);

    // A key with the optimizer off gets the plain model instead, and its decision offers no pairing.
    const plain = await offKey.chat.completions.create(params).withResponse();
    expect(plain.response.headers.get('x-aigw-technique')).toBeNull();
    const plainDecision = await decisionOf((await rowOf(plain.response.headers.get('x-aigw-request-id'))).id);
    expect((JSON.parse(plainDecision.candidates) as CandidateScore[]).filter((c) => c.model.includes('+'))).toEqual([]);

    // With goal quality the pairing loses to a stronger plain model; the rationale says it was not chosen.
    const quality = await onKey.chat.completions
      .create(body<OpenAI.ChatCompletionCreateParamsNonStreaming>({ ...params, aigw: { goal: 'quality', min_quality: 0.6 } }))
      .withResponse();
    expect(quality.response.headers.get('x-aigw-technique')).toBeNull();
    const qualityRow = await rowOf(quality.response.headers.get('x-aigw-request-id'));
    expect(qualityRow.optimization).toBeNull();
    expect((await decisionOf(qualityRow.id)).rationale).toMatch(new RegExp(`not chosen: .*${pairing.replace(/[()+]/g, '\\$&')} predicted`));
  });

  it('n > 1 with a vote: n choices from the same k samples, no extra upstream call (OptiLLM re-runs the technique n times)', async () => {
    const upstream = proxy.mark();
    const { data, response } = await onKey.chat.completions
      .create(body({ model: 'sim-mini', n: 3, messages: [{ role: 'user', content: MATH }], optillm_approach: 'self_consistency', optillm_options: { k: 5 } }))
      .withResponse();
    const seen = upstream();
    expect(seen.map((s) => [s.model, s.n])).toEqual([['sim-mini', 5]]);
    expect(data.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(data.choices.every((c) => (c.message.content ?? '').length > 0)).toBe(true);
    expect(data.usage?.completion_tokens).toBe(upstreamTotals(seen).completion);
    expect(optimizationOf(await rowOf(response.headers.get('x-aigw-request-id')))).toMatchObject({ upstream_calls: 1 });

    // A model without upstream n serves the k samples as parallel requests; the client's n still costs nothing extra.
    const emulated = proxy.mark();
    const streamed = await onKey.chat.completions.create(
      body({
        model: 'sim-reasoner',
        n: 2,
        stream: true,
        messages: [{ role: 'user', content: MATH }],
        optillm_approach: 'self_consistency',
        optillm_options: { k: 3 },
      }),
    );
    const texts = new Map<number, string>();
    for await (const chunk of streamed) for (const c of chunk.choices) texts.set(c.index, (texts.get(c.index) ?? '') + (c.delta.content ?? ''));
    expect([...texts.keys()]).toEqual([0, 1]);
    expect(emulated().map((s) => [s.model, s.n])).toEqual([
      ['sim-reasoner', 1],
      ['sim-reasoner', 1],
      ['sim-reasoner', 1],
    ]);
  });

  it("drops the router's technique for a request it cannot serve (tools) and answers with the plain chosen model", async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'calc', parameters: { type: 'object', properties: { expr: { type: 'string' } } } } },
    ];
    const { response } = await onKey.chat.completions
      .create(
        body<OpenAI.ChatCompletionCreateParamsNonStreaming>({
          model: 'auto',
          tools,
          messages: [{ role: 'user', content: 'Solve for x: 3x + 7 = 22. What is x?' }],
          aigw: { goal: 'cost', min_quality: 0.6 },
        }),
      )
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-aigw-technique')).toBeNull();
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, optimization: null });
    expect((await decisionOf(row.id)).chosen_model).toBe(row.model_used);
  });

  it('none-<model> is a plain call: no technique, no optimization record', async () => {
    const { data, response } = await onKey.chat.completions.create({ model: 'none-sim-nano', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    expect(data.model).toBe('sim-nano');
    expect(response.headers.get('x-aigw-technique')).toBeNull();
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 200, model_requested: 'none-sim-nano', model_used: 'sim-nano', optimization: null });
  });
});

/** Sends a request expected to fail; returns the SDK error and the request's row. */
async function refused(client: OpenAI, params: OpenAI.ChatCompletionCreateParamsNonStreaming) {
  const err = await client.chat.completions.create(params).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.APIError);
  const apiError = err as InstanceType<typeof OpenAI.APIError>;
  const row = await rowOf(apiError.headers?.get('x-aigw-request-id'));
  return { err: apiError, row };
}

async function impactOf(requestId: string, secret: string): Promise<{ status: number; json: OptimizationImpact }> {
  const res = await fetch(`${stack.url}/v1/optimizations/${requestId}`, { headers: { authorization: `Bearer ${secret}` } });
  return { status: res.status, json: (await res.json()) as OptimizationImpact };
}

describe('impact log: GET /v1/optimizations/:requestId', () => {
  it('shows the router recommendation against what was sent and spent, then the quality signal once it arrives', async () => {
    const { response } = await onKey.chat.completions
      .create(
        body<OpenAI.ChatCompletionCreateParamsNonStreaming>({
          model: 'auto',
          messages: [{ role: 'user', content: 'Solve for x: log3(x) + log3(x + 6) = 3. What is x?' }],
          aigw: { goal: 'cost', min_quality: 0.6 },
        }),
      )
      .withResponse();
    expect(response.headers.get('x-aigw-technique-source')).toBe('router');
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    const decision = await decisionOf(row.id);
    const pairing = (JSON.parse(decision.candidates) as CandidateScore[])[0]!;
    const plainAlone = (JSON.parse(decision.candidates) as CandidateScore[]).find((c) => c.model === decision.chosen_model)!;

    const before = await impactOf(row.id, onKeySecret);
    expect(before.status).toBe(200);
    const opt = before.json.optimization;
    expect(opt).toMatchObject({
      technique: 'self_consistency',
      source: 'router',
      recommendation: {
        decision_id: decision.id,
        candidate: pairing.model,
        predicted_quality: pairing.predictedQuality,
        est_cost_usd: pairing.estCostUsd,
        plain_predicted_quality: plainAlone.predictedQuality,
        plain_est_cost_usd: plainAlone.estCostUsd,
      },
      params_sent: { model: decision.chosen_model },
      upstream_calls: 1,
    });
    expect(opt.calls[0]?.params.n).toBe(3);
    expect(before.json.decision_id).toBe(decision.id);
    expect(before.json.extra_cost_usd).toBeCloseTo(opt.cost_usd - opt.plain_estimate_usd, 15);
    expect(before.json.cost_vs_plain).toBeCloseTo(opt.cost_usd / opt.plain_estimate_usd, 12);
    expect(before.json.quality).toEqual({ score: null, vs_predicted: null, signals: [] });

    const rated = await postJson(
      `${stack.url}/v1/feedback`,
      { request_id: row.id, thumbs: 'down', comment: 'x is 3' },
      { authorization: `Bearer ${onKeySecret}` },
    );
    expect(rated.status).toBe(200);
    const after = await impactOf(row.id, onKeySecret);
    expect(after.json.quality.score).toBe(0);
    expect(after.json.quality.vs_predicted).toBeCloseTo(-pairing.predictedQuality, 12);
    expect(after.json.quality.signals).toEqual([expect.objectContaining({ source: 'user', score: 0, comment: 'x is 3' })]);
    // The spend log is not rewritten by a late score.
    expect(after.json.optimization).toEqual(opt);
  });

  it("answers 404 for a plain request and for another key's request", async () => {
    const { response } = await onKey.chat.completions.create({ model: 're2-sim-mini', messages: [{ role: 'user', content: MATH }] }).withResponse();
    const id = response.headers.get('x-aigw-request-id')!;
    expect((await impactOf(id, onKeySecret)).json.optimization).toMatchObject({ technique: 're2', source: 'prefix' });
    expect((await impactOf(id, onKeySecret)).json.optimization).not.toHaveProperty('recommendation');
    expect((await impactOf(id, offKeySecret)).status).toBe(404);
    const plain = await onKey.chat.completions.create({ model: 'sim-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const missing = await impactOf(plain.response.headers.get('x-aigw-request-id')!, onKeySecret);
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: 'optimization_not_found' } });
  });
});

describe('refusals', () => {
  it('an unknown technique is a 400 that lists the valid ones', async () => {
    const upstream = proxy.mark();
    const { err, row } = await refused(onKey, body({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], optillm_approach: 'telepathy' }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('unknown_technique');
    expect(err.message).toContain("'telepathy'");
    expect(err.message).toMatch(/Valid techniques: .*none.*re2.*self_consistency/);
    expect(row).toMatchObject({ status: 400, error_type: 'unknown_technique', cost_usd: 0 });
    expect(upstream()).toEqual([]);
  });

  it('an unknown name in a combination prefix is a 400 too', async () => {
    const { err, row } = await refused(onKey, { model: 're2&telepathy-sim-mini', messages: [{ role: 'user', content: MATH }] });
    expect(err.status).toBe(400);
    expect(err.message).toContain("'telepathy'");
    expect(row.status).toBe(400);
  });

  it('bad technique options are a 400', async () => {
    const { err, row } = await refused(
      onKey,
      body({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], optillm_approach: 'self_consistency', optillm_options: { k: -2 } }),
    );
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_technique_options');
    expect(row).toMatchObject({ status: 400, error_type: 'invalid_technique_options' });
    const typed = await refused(
      onKey,
      body({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], optillm_approach: 're2', optillm_options: { k: 'many' } }),
    );
    expect(typed.err.status).toBe(400);
    expect(typed.row.status).toBe(400);
  });

  it('a technique whose bounds exceed optimizer.max_upstream_requests is a 400 naming both numbers', async () => {
    const upstream = proxy.mark();
    const { err, row } = await refused(
      onKey,
      body({ model: 'sim-reasoner', messages: [{ role: 'user', content: MATH }], optillm_approach: 'self_consistency', optillm_options: { k: 12 } }),
    );
    expect(err.status).toBe(400);
    expect(err.code).toBe('technique_over_limit');
    expect(err.message).toMatch(/up to \d+ upstream requests/);
    expect(err.message).toContain('allows 8');
    expect(row.status).toBe(400);
    expect(upstream()).toEqual([]);
  });

  it('n > 1 or tools together with a technique are a 400 naming the parameter, before any upstream call', async () => {
    const upstream = proxy.mark();
    const withN = await refused(onKey, { model: 're2-sim-mini', messages: [{ role: 'user', content: MATH }], n: 2 });
    expect(withN.err).toMatchObject({ status: 400, code: 'unsupported_with_technique', param: 'n' });
    expect(withN.row).toMatchObject({ status: 400, error_type: 'unsupported_with_technique' });
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'calc', parameters: { type: 'object', properties: {} } } }];
    const withTools = await refused(onKey, body({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], tools, optillm_approach: 'moa' }));
    expect(withTools.err).toMatchObject({ status: 400, code: 'unsupported_with_technique', param: 'tools' });
    expect(upstream()).toEqual([]);
  });

  it('n above what the technique returns from one run is a 400 naming n', async () => {
    const upstream = proxy.mark();
    const more = await refused(
      onKey,
      body({ model: 'sim-mini', n: 6, messages: [{ role: 'user', content: MATH }], optillm_approach: 'self_consistency', optillm_options: { k: 5 } }),
    );
    expect(more.err).toMatchObject({ status: 400, code: 'unsupported_with_technique', param: 'n' });
    expect(more.err.message).toContain('n = 6 is more than');
    const one = await refused(onKey, { model: 'moa-sim-mini', n: 2, messages: [{ role: 'user', content: MATH }] });
    expect(one.err.message).toMatch(/returns one answer .*self_consistency and majority_voting/);
    expect(upstream()).toEqual([]);
  });

  it('a key in optimizer.disabled_keys gets a 400 saying the optimizer is off for it', async () => {
    const upstream = proxy.mark();
    const { err, row } = await refused(offKey, { model: 're2-sim-mini', messages: [{ role: 'user', content: MATH }] });
    expect(err.status).toBe(400);
    expect(err.code).toBe('optimizer_disabled');
    expect(err.message).toContain('off for this API key');
    expect(row).toMatchObject({ status: 400, error_type: 'optimizer_disabled' });
    expect(upstream()).toEqual([]);
    // The same key still gets plain answers.
    const plain = await offKey.chat.completions.create({ model: 'sim-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(plain.choices[0]?.message.content).toBeTruthy();
  });
});

describe('a technique that fails midway', () => {
  it('answers with the error and keeps the spend of the calls that finished in the row', async () => {
    const upstream = proxy.mark();
    proxy.failAfter(1);
    try {
      const { err, row } = await refused(onKey, { model: 're2&self_consistency-sim-mini', messages: [{ role: 'user', content: MATH }] });
      expect(err.status).toBe(400);
      const totals = upstreamTotals(upstream());
      expect(totals.requests).toBe(1);
      expect(totals.cost).toBeGreaterThan(0);
      expect(row).toMatchObject({
        status: 400,
        model_requested: 're2&self_consistency-sim-mini',
        input_tokens: totals.prompt,
        output_tokens: totals.completion,
      });
      expect(row.cost_usd).toBeCloseTo(totals.cost, 12);
      const opt = optimizationOf(row);
      expect(opt.error).toContain('refused by the test proxy');
      expect(opt.calls.map((c) => [c.label, c.upstream_requests, c.failed ?? false])).toEqual([
        ['re2', 1, false],
        ['self_consistency:sample', 0, true],
      ]);
    } finally {
      proxy.reset();
    }
  });
});

describe('budgets', () => {
  async function keyWithBudget(name: string, budgetDailyUsd: number): Promise<OpenAI> {
    const res = await postJson(`${stack.url}/admin/keys`, { name, budget_daily_usd: budgetDailyUsd }, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(res.status).toBe(201);
    return stack.clientWithKey(res.json['key'] as string);
  }

  it('reserves the technique worst case before the first call and settles to the summed cost', async () => {
    const client = await keyWithBudget('opt-budget', 1);
    const { response } = await client.chat.completions
      .create(
        body({
          model: 'sim-mini',
          messages: [{ role: 'user', content: MATH }],
          max_tokens: 200,
          optillm_approach: 'self_consistency',
          optillm_options: { k: 3 },
        }),
      )
      .withResponse();
    const row = await rowOf(response.headers.get('x-aigw-request-id'));
    const g = stack.gateway.runtime.gateway;
    const spend = await g.ledger.spent(row.key_id ?? '', Date.now());
    expect(spend.dayUsd).toBeCloseTo(row.cost_usd, 12);
    expect(spend.reservedUsd).toBe(0);
  });

  it('refuses a technique whose worst case does not fit the budget, before any upstream call', async () => {
    // sim-mini at $0.15 / $0.60 per 1M: a plain call capped at 200 tokens reserves about $0.00013; self_consistency
    // with k = 8 reserves 8 requests of (2 × prompt + 1600 + 512) prompt tokens and 1600 completion tokens, about $0.0036.
    const client = await keyWithBudget('opt-small-budget', 0.001);
    const upstream = proxy.mark();
    const err = await client.chat.completions
      .create(
        body({
          model: 'sim-mini',
          messages: [{ role: 'user', content: MATH }],
          max_tokens: 200,
          optillm_approach: 'self_consistency',
          optillm_options: { k: 8 },
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    expect(upstream()).toEqual([]);
    const row = await rowOf((err as InstanceType<typeof OpenAI.APIError>).headers?.get('x-aigw-request-id'));
    expect(row).toMatchObject({ status: 429, error_type: 'budget_exceeded', cost_usd: 0 });
    const plain = await client.chat.completions.create({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], max_tokens: 200 });
    expect(plain.choices[0]?.message.content).toBeTruthy();
  });
});

describe('optimizer switched off globally', () => {
  let off: TestStack;
  beforeAll(async () => {
    // The same technique plan as the main stack, switched off: the router must not propose it either.
    off = await startTestStack({
      config: (base) => ({
        ...base,
        optimizer: { enabled: false, task_types: { math: { technique: 'self_consistency', options: { k: 3 }, tiers: ['economy'] } } },
      }),
    });
  });
  afterAll(async () => {
    await off?.close();
  });

  it('refuses every selector with a 400 and still leaves the row', async () => {
    for (const params of [
      { model: 're2-sim-mini', messages: [{ role: 'user' as const, content: MATH }] },
      body({ model: 'sim-mini', messages: [{ role: 'user', content: MATH }], optillm_approach: 're2' }),
      { model: 'sim-mini', messages: [{ role: 'user' as const, content: `<optillm_approach>re2</optillm_approach>${MATH}` }] },
    ]) {
      const err = await off.client.chat.completions.create(params).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      const apiError = err as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(400);
      expect(apiError.message).toContain('optimizer is off on this gateway');
      await off.gateway.runtime.gateway.writer.flush();
      const row = await off.gateway.runtime.gateway.store.getRequest(apiError.headers?.get('x-aigw-request-id') ?? '');
      expect(row).toMatchObject({ status: 400, error_type: 'optimizer_disabled' });
    }
  });

  it('the router proposes no "model + technique" either; the plain model answers', async () => {
    const params = body<OpenAI.ChatCompletionCreateParamsNonStreaming>({
      model: 'auto',
      messages: [{ role: 'user', content: 'Solve for x: 3x + 7 = 22. What is x?' }],
      aigw: { goal: 'cost', min_quality: 0.6 },
    });
    const { response } = await off.client.chat.completions.create(params).withResponse();
    expect(response.headers.get('x-aigw-technique')).toBeNull();
    await off.gateway.runtime.gateway.writer.flush();
    const requestId = response.headers.get('x-aigw-request-id') ?? '';
    expect(await off.gateway.runtime.gateway.store.getRequest(requestId)).toMatchObject({ status: 200, task_type: 'math', optimization: null });
    const decision = await off.gateway.runtime.gateway.store.getDecisionByRequest(requestId);
    expect((JSON.parse(decision!.candidates) as CandidateScore[]).filter((c) => c.model.includes('+'))).toEqual([]);
  });
});
