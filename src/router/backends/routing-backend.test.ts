import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfigInput } from '../../config/schema.ts';
import { LiveStats } from '../live-stats.ts';
import { analysis, fakePredictor, gatewayConfig } from '../policy/policy-fixtures.test-support.ts';
import { createRouter, type RouteOutcome, type RouterInput } from '../router.ts';
import type { RouteDecision } from '../types.ts';
import { createRoutingBackend } from './create-routing-backend.ts';
import { notDiamondPick, routeLlmCompletion, startFakeRoutingServer, type FakeAnswer, type FakeRoutingServer } from './fake-routing-servers.test-support.ts';

type BackendConfigInput = NonNullable<NonNullable<GatewayConfigInput['routing']>['backend']>;

const PROMPT = 'Explain how a hash map handles collisions.';
const ND_KEY_ENV = 'AIGW_TEST_NOTDIAMOND_KEY';
process.env[ND_KEY_ENV] = 'nd-test-key';

// Every prompt analyzes as an easy chat: gpt-4o-mini, claude-haiku and gpt-4o are eligible, llama-local
// falls below the default minimum quality, and the built-in router picks gpt-4o-mini (balanced goal).
const BUILTIN_CHOICE = 'gpt-4o-mini';
// The built-in keeps the ruled-out local model as the last fallback; balanced is cost first above the
// floor, so the cheaper claude-haiku ranks before gpt-4o.
const BUILTIN_ORDER = ['gpt-4o-mini', 'claude-haiku', 'gpt-4o', 'llama-local'];

interface BackendCase {
  name: 'builtin' | 'notdiamond' | 'routellm';
  config(baseUrl: string, extra?: Record<string, unknown>): BackendConfigInput;
  /** The server's answer picking gpt-4o, and the model the final decision then names. */
  pickGpt4o: FakeAnswer;
  expectedChoice: string;
}

const CASES: BackendCase[] = [
  { name: 'builtin', config: () => ({ type: 'builtin' }), pickGpt4o: { status: 500, body: {} }, expectedChoice: BUILTIN_CHOICE },
  {
    name: 'notdiamond',
    config: (baseUrl, extra = {}) => ({ type: 'notdiamond', base_url: baseUrl, api_key_env: ND_KEY_ENV, ...extra }),
    pickGpt4o: notDiamondPick('openai', 'gpt-4o'),
    expectedChoice: 'gpt-4o',
  },
  {
    name: 'routellm',
    config: (baseUrl, extra = {}) => ({ type: 'routellm', base_url: `${baseUrl}/v1`, strong_model: 'gpt-4o', weak_model: 'gpt-4o-mini', ...extra }),
    // The upstream answers with the dated snapshot of the alias RouteLLM asked for.
    pickGpt4o: routeLlmCompletion('gpt-4o-2024-08-06'),
    expectedChoice: 'gpt-4o',
  },
];
const EXTERNAL = CASES.filter((c) => c.name !== 'builtin');

let server: FakeRoutingServer;
beforeAll(async () => {
  server = await startFakeRoutingServer({ status: 500, body: {} });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function setUp(backend: BackendConfigInput, routing: GatewayConfigInput['routing'] = {}) {
  const config = gatewayConfig({ ...routing, backend });
  const router = createRouter({ config, predictor: fakePredictor, analyze: () => analysis('chat', 0.3, 200), liveStats: new LiveStats() });
  return { router, backend: createRoutingBackend(config) };
}

const ask = (extra: Partial<RouterInput> = {}): RouterInput => ({
  routingModel: 'auto',
  messages: [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! How can I help?' },
    { role: 'user', content: PROMPT },
  ],
  ...extra,
});

function decided(outcome: RouteOutcome): RouteDecision {
  if (!outcome.ok) throw new Error(`expected a decision, got: ${outcome.message}`);
  return outcome.decision;
}

async function decideWith(c: BackendCase, answer: FakeAnswer, extra: Record<string, unknown> = {}, input = ask()) {
  server.answer(answer);
  // A generous timeout unless the test is about timeouts: on a loaded machine the fake service's
  // localhost round trip can pass the 300 ms default, and the test would see a timeout instead.
  const { router, backend } = setUp(c.config(server.baseUrl, { timeout_ms: 5_000, ...extra }));
  const builtin = router.decide(input);
  const outcome = await backend.decide(input, builtin);
  return { builtin: decided(builtin), builtinOutcome: builtin, outcome, final: decided(outcome) };
}

describe.each(CASES)('$name routing backend', (c) => {
  it('picks among the built-in eligible candidates and keeps the built-in analysis', async () => {
    const { builtin, final } = await decideWith(c, c.pickGpt4o);
    expect(builtin.chosenModel).toBe(BUILTIN_CHOICE);
    expect(final.chosenModel).toBe(c.expectedChoice);
    expect([final.chosenModel, ...final.fallbacks].sort()).toEqual([...BUILTIN_ORDER].sort());
    expect(final.fallbacks).toEqual(BUILTIN_ORDER.filter((m) => m !== c.expectedChoice));
    const { chosenModel, fallbacks, rationale, routerVersion, decisionUs, ...kept } = final;
    const { chosenModel: _c, fallbacks: _f, rationale: _r, routerVersion: _v, decisionUs: _d, ...builtinKept } = builtin;
    expect(kept).toEqual(builtinKept);
    expect(decisionUs).toBeGreaterThanOrEqual(builtin.decisionUs);
    if (c.name === 'builtin') {
      expect(final).toEqual(builtin);
      expect(server.requests).toHaveLength(0);
    } else {
      expect(routerVersion).toBe(`${c.name}+${builtin.routerVersion}`);
      expect(rationale).toBe(`${c.name} chose gpt-4o over the built-in choice gpt-4o-mini (${describePick(c)}); built-in router: ${builtin.rationale}`);
      expect(server.requests).toHaveLength(1);
      expect(JSON.stringify(server.requests[0]?.body)).toContain(PROMPT);
    }
  });

  it('passes an outcome with no eligible model through untouched, without calling out', async () => {
    server.answer(c.pickGpt4o);
    const { router, backend } = setUp(c.config(server.baseUrl));
    const input = ask({ routingModel: 'no-such-routing-model' });
    const builtin = router.decide(input);
    expect(builtin.ok).toBe(false);
    expect(await backend.decide(input, builtin)).toEqual(builtin);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps the only eligible candidate without calling out', async () => {
    const { builtin, final } = await decideWith(c, c.pickGpt4o, {}, ask({ overrides: { minQuality: 0.9 } }));
    expect(builtin.chosenModel).toBe('gpt-4o');
    expect(final.chosenModel).toBe('gpt-4o');
    expect(server.requests).toHaveLength(0);
    if (c.name !== 'builtin') expect(final.rationale).toBe(`${c.name} not consulted: only one eligible candidate; built-in router: ${builtin.rationale}`);
  });
});

function describePick(c: BackendCase): string {
  return c.name === 'notdiamond' ? 'openai/gpt-4o, session nd-session-1' : 'strong model for router-mf-0.5, upstream gpt-4o-2024-08-06';
}

/** The final decision is the built-in one, with a note in front of its rationale. */
function expectBuiltinWithNote(c: BackendCase, builtin: RouteDecision, final: RouteDecision, note: string): void {
  expect(final).toEqual({ ...builtin, rationale: `${c.name} ${note}; built-in router: ${builtin.rationale}`, decisionUs: final.decisionUs });
  expect(final.decisionUs).toBeGreaterThanOrEqual(builtin.decisionUs);
}

describe.each(EXTERNAL)('$name falls back to the built-in router', (c) => {
  it('when the service does not answer within timeout_ms', async () => {
    const started = performance.now();
    const { builtin, final } = await decideWith(c, { hang: true }, { timeout_ms: 50 });
    // The service never answers: finishing at all (well before the test's own timeout) is the timeout working.
    expect(performance.now() - started).toBeLessThan(10_000);
    expectBuiltinWithNote(c, builtin, final, 'timed out after 50 ms');
    expect(final.decisionUs).toBeGreaterThanOrEqual(50_000);
  });

  it('when the service answers with an HTTP error', async () => {
    const { builtin, final } = await decideWith(c, { status: 500, body: { object: 'error', message: 'router crashed' } });
    expectBuiltinWithNote(c, builtin, final, 'failed (HTTP 500: router crashed)');
  });

  it('when the service names a model we do not know', async () => {
    const unknown = c.name === 'notdiamond' ? notDiamondPick('mystery', 'model-x') : routeLlmCompletion('model-x');
    const { builtin, final } = await decideWith(c, unknown);
    const named = c.name === 'notdiamond' ? 'mystery/model-x' : 'model-x';
    expectBuiltinWithNote(c, builtin, final, `answered with unknown model ${named}`);
  });

  it('when the service picks a model the built-in router ruled out, and says why', async () => {
    const local = c.name === 'notdiamond' ? notDiamondPick('ollama', 'llama-local') : routeLlmCompletion('llama-local');
    const { builtin, final } = await decideWith(c, local, c.name === 'routellm' ? { weak_model: 'llama-local' } : {});
    const detail = c.name === 'notdiamond' ? 'ollama/llama-local, session nd-session-1' : 'weak model for router-mf-0.5, upstream llama-local';
    expectBuiltinWithNote(c, builtin, final, `chose llama-local, which is not eligible: predicted quality 0.64 < required 0.70 (${detail})`);
  });

  it('when the caller aborts, without throwing', async () => {
    server.answer({ hang: true });
    const { router, backend } = setUp(c.config(server.baseUrl, { timeout_ms: 5_000 }));
    const input = ask();
    const builtin = router.decide(input);
    const outcome = await backend.decide(input, builtin, AbortSignal.timeout(20));
    expectBuiltinWithNote(c, decided(builtin), decided(outcome), 'not used: the request was aborted');
  });
});

describe('what each service is sent', () => {
  const [, notDiamond, routeLlm] = CASES as [BackendCase, BackendCase, BackendCase];

  it('notdiamond: model-select with the prompt, the eligible catalog models with their prices and latencies, and the key', async () => {
    await decideWith(notDiamond, notDiamond.pickGpt4o);
    const [sent] = server.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/v2/modelRouter/modelSelect' });
    expect(sent?.headers.authorization).toBe('Bearer nd-test-key');
    expect(sent?.body).toEqual({
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: PROMPT },
      ],
      // Best first as the built-in ranked them; llama-local is not eligible, so it is not offered.
      llm_providers: [
        { provider: 'openai', model: 'gpt-4o-mini', is_custom: false, context_length: 128_000, input_price: 0.15, output_price: 0.6, latency: 0.4 },
        { provider: 'anthropic', model: 'claude-haiku', is_custom: false, context_length: 200_000, input_price: 0.8, output_price: 4, latency: 0.5 },
        { provider: 'openai', model: 'gpt-4o', is_custom: false, context_length: 128_000, input_price: 2.5, output_price: 10, latency: 0.6 },
      ],
    });
  });

  it('notdiamond: the goal becomes its tradeoff, and models on other hosts go as custom ones', async () => {
    server.answer(notDiamondPick('openai', 'gpt-4o'));
    const { router, backend } = setUp(notDiamond.config(server.baseUrl));
    for (const goal of ['cost', 'speed', 'quality'] as const) {
      const input = ask({ overrides: { goal, minQuality: 0.5 } });
      await backend.decide(input, router.decide(input));
    }
    const bodies = server.requests.map((r) => r.body as { tradeoff?: string; llm_providers: { provider: string; model: string; is_custom: boolean }[] });
    expect(bodies.map((b) => b.tradeoff)).toEqual(['cost', 'latency', undefined]);
    expect(bodies[0]?.llm_providers).toContainEqual(
      expect.objectContaining({ provider: 'ollama', model: 'llama-local', is_custom: true, input_price: 0, latency: 0.2 }),
    );
  });

  it('notdiamond: without its key in the environment, the built-in router decides and nothing is sent', async () => {
    const { builtin, final } = await decideWith(notDiamond, notDiamond.pickGpt4o, { api_key_env: 'AIGW_TEST_UNSET_KEY' });
    expectBuiltinWithNote(notDiamond, builtin, final, 'not used: environment variable AIGW_TEST_UNSET_KEY is not set');
    expect(server.requests).toHaveLength(0);
  });

  it('routellm: a one-token chat completion of the last user turn to router-<router>-<threshold>', async () => {
    await decideWith(routeLlm, routeLlm.pickGpt4o, { router: 'bert', threshold: 0.11593 });
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'router-bert-0.11593', messages: [{ role: 'user', content: PROMPT }], max_tokens: 1, stream: false },
      }),
    ]);
  });

  it('routellm: a dated snapshot or provider-prefixed name maps to our weak or strong model', async () => {
    for (const [reported, expected] of [
      ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
      ['openai/gpt-4o-mini', 'gpt-4o-mini'],
      ['gpt-4o', 'gpt-4o'],
    ] as const) {
      const { final } = await decideWith(routeLlm, routeLlmCompletion(reported));
      expect(final.chosenModel).toBe(expected);
    }
  });

  it('routellm: a strong or weak model missing from the catalog fails at start-up, not per request', () => {
    expect(() => setUp(routeLlm.config(server.baseUrl, { strong_model: 'gpt-5' }))).toThrow(/strong_model names gpt-5/);
    expect(() => setUp(routeLlm.config(server.baseUrl, { threshold: 2 }))).toThrow(/between 0 and 1/);
  });
});
