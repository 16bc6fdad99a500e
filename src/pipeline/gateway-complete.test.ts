import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../test/helpers/test-stack.ts';
import { costUsd } from '../costs/cost.ts';
import type { Gateway } from './gateway-types.ts';
import { ChatRequest } from '../providers/chat-schema.ts';
import { GatewayError } from '../util/errors.ts';
import { createGatewayComplete } from './gateway-complete.ts';
import { newRequestRecord } from './request-record.ts';

let stack: TestStack;
let g: Gateway;
beforeAll(async () => {
  stack = await startTestStack({
    config: (base) => ({
      ...base,
      models: base.models?.map((m) => (m.id === 'sim-nano' ? { ...m, fallbacks: ['sim-reasoner'] } : m)),
    }),
  });
  g = stack.gateway.runtime.gateway;
});
afterAll(async () => {
  await stack?.close();
});

const question = [{ role: 'user' as const, content: 'What is 17 * 3? Give the final answer.' }];

function setup(model: string, simHeaders: Record<string, string> = {}) {
  const request = ChatRequest.parse({ model, messages: question, temperature: 0.2 });
  const record = newRequestRecord(`gc-${Math.random().toString(36).slice(2)}`, Date.now());
  const made = createGatewayComplete({
    g,
    request,
    targets: g.catalog.withFallbacks(model),
    record,
    simHeaders,
    signal: new AbortController().signal,
  });
  return { ...made, record };
}

describe('createGatewayComplete over the simulated fleet', () => {
  it('uses the upstream n in one request when the model supports it, priced with the catalog', async () => {
    const { complete, ledger } = setup('sim-mini');
    const before = stack.sim.stats().byModel['sim-mini'] ?? 0;
    const result = await complete({ label: 'sample', messages: question, n: 3, temperature: 0.9 });
    expect(stack.sim.stats().byModel['sim-mini']).toBe(before + 1);
    expect(result.texts).toHaveLength(3);
    expect(result.finishReasons).toHaveLength(3);
    expect(result.upstreamRequests).toBe(1);
    expect(result.model).toBe('sim-mini');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    const pricing = g.catalog.target('sim-mini')!.model.pricing;
    expect(result.costUsd).toBeCloseTo(costUsd(result.usage, pricing), 15);
    expect(ledger.calls).toEqual([
      expect.objectContaining({ label: 'sample', upstreamRequests: 1, params: { n: 3, temperature: 0.9, top_p: null, max_tokens: null } }),
    ]);
    expect(ledger.usage).toEqual(result.usage);
    expect(ledger.costUsd).toBeCloseTo(result.costUsd, 15);
    expect(ledger.estimated).toBe(false);
  });

  it('emulates n with parallel single requests when the model has no n, summing their usage', async () => {
    const { complete, ledger, record } = setup('sim-reasoner');
    const before = stack.sim.stats().byModel['sim-reasoner'] ?? 0;
    const result = await complete({ label: 'sample', messages: question, n: 3 });
    expect(stack.sim.stats().byModel['sim-reasoner']).toBe(before + 3);
    expect(result.texts).toHaveLength(3);
    expect(result.upstreamRequests).toBe(3);
    expect(ledger.upstreamRequests).toBe(3);
    expect(ledger.costsUsd).toHaveLength(3);
    // sim-reasoner bills hidden reasoning tokens; they are summed like the rest.
    expect(result.usage.reasoningTokens).toBeGreaterThan(0);
    expect(ledger.usage).toEqual(result.usage);
    // Three overlapping requests: the upstream wait counts wall time, not three times it.
    const elapsedNs = process.hrtime.bigint() - record.startNs;
    expect(record.upstreamNs).toBeGreaterThan(0n);
    expect(record.upstreamNs).toBeLessThanOrEqual(elapsedNs);
  });

  it('tops up the choices a fallback model without n could not give', async () => {
    const { complete, ledger } = setup('sim-nano', { 'x-sim-fail': '503', 'x-sim-fail-times': '3', 'x-sim-fail-key': `topup-${Date.now()}` });
    const reasonerBefore = stack.sim.stats().byModel['sim-reasoner'] ?? 0;
    const result = await complete({ label: 'sample', messages: question, n: 2 });
    // sim-nano failed three times (first try + 2 retries), sim-reasoner (no n) answered one choice,
    // and the missing choice came as its own request (sim-nano, healthy again).
    expect(result.texts).toHaveLength(2);
    expect(stack.sim.stats().byModel['sim-reasoner']).toBe(reasonerBefore + 1);
    expect(ledger.upstreamRequests).toBe(2);
    expect(ledger.attempts).toBe(5);
  });

  it('fails the call with the client-facing error when no candidate answers', async () => {
    const { complete, ledger } = setup('sim-nano', { 'x-sim-fail': '500' });
    const err = await complete({ label: 'x', messages: question }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(503);
    expect(ledger.calls[0]?.failed).toBe(true);
    expect(ledger.attempts).toBe(6);
    expect(ledger.costUsd).toBe(0);
  });

  it('keeps the spend of earlier calls when a later call fails, and reports the client-facing error', async () => {
    const ok = setup('sim-mini');
    await ok.complete({ label: 'first', messages: question });
    const spentUsd = ok.ledger.costUsd;
    expect(spentUsd).toBeGreaterThan(0);
    const failing = setup('sim-mini', { 'x-sim-fail': '400' });
    const err = await failing.complete({ label: 'second', messages: question }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toBe(400);
    expect(failing.ledger.calls).toEqual([expect.objectContaining({ label: 'second', failed: true, upstreamRequests: 0 })]);
    expect(ok.ledger.costUsd).toBe(spentUsd);
  });
});
