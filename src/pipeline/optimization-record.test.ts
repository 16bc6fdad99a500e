import { describe, expect, it } from 'vitest';
import { countMessageTokens } from '../costs/estimate-tokens.ts';
import { ChatRequest } from '../providers/chat-schema.ts';
import { makeTestTarget } from '../providers/shared/target.test-support.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { CallLedger, type CallLog } from './gateway-complete.ts';
import type { RouteDecision } from '../router/types.ts';
import { optimizationJson, plainEstimateUsd } from './optimization-record.ts';

// makeTestTarget prices at $1 input / $2 output per 1M tokens.
const target: UpstreamTarget = makeTestTarget('openai', { id: 'cheap' });
const request = ChatRequest.parse({ model: 'cheap', messages: [{ role: 'user', content: 'What is 6 * 7?' }], temperature: 0.3 });

function usage(input: number, output: number, reasoning = 0) {
  return { inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: output, reasoningTokens: reasoning };
}

function ledgerOf(calls: Array<Omit<CallLog, 'model' | 'params'> & { n: number }>): CallLedger {
  const ledger = new CallLedger();
  for (const c of calls) {
    ledger.calls.push({
      label: c.label,
      model: 'cheap',
      upstreamRequests: c.upstreamRequests,
      usage: c.usage,
      costUsd: c.costUsd,
      params: { n: c.n, temperature: 0.3, top_p: null, max_tokens: null },
      ...(c.failed ? { failed: true as const } : {}),
    });
    ledger.addRequest({ texts: [], finishReasons: [], usage: c.usage, costUsd: c.costUsd, estimated: false, target });
  }
  return ledger;
}

describe('optimization JSON', () => {
  it('sums the calls and prices the plain call at the average answer length', () => {
    // 5 samples in one request (400 output tokens), then a 1-choice call (100): 600 tokens over 6 answers → 100 per answer.
    const ledger = ledgerOf([
      { label: 'self_consistency:sample', upstreamRequests: 1, usage: usage(50, 500, 100), costUsd: 0.00105, n: 5 },
      { label: 'self_consistency:check', upstreamRequests: 1, usage: usage(70, 100), costUsd: 0.00027, n: 1 },
    ]);
    const bounds = { maxUpstreamRequests: 6, maxCompletionTokens: 3000 };
    const json = optimizationJson({ technique: 'self_consistency', source: 'body', options: { k: 5 }, request, bounds, ledger, primary: target });
    const promptTokens = countMessageTokens(request.messages);
    expect(json).toMatchObject({
      technique: 'self_consistency',
      source: 'body',
      options: { k: 5 },
      params_sent: { model: 'cheap', temperature: 0.3, top_p: null, max_tokens: null },
      bounds: { max_upstream_requests: 6, max_completion_tokens: 3000 },
      upstream_calls: 2,
      usage: { input_tokens: 120, cached_input_tokens: 0, cache_write_tokens: 0, output_tokens: 600, reasoning_tokens: 100 },
    });
    expect(json.cost_usd).toBeCloseTo(0.00132, 15);
    expect(json.calls).toHaveLength(2);
    expect(json.calls[0]).toMatchObject({ label: 'self_consistency:sample', upstream_requests: 1, usage: { output_tokens: 500 }, params: { n: 5 } });
    expect(json.calls[0]).not.toHaveProperty('failed');
    expect(json.plain_estimate_usd).toBeCloseTo((promptTokens * 1 + 100 * 2) / 1e6, 15);
    expect(json).not.toHaveProperty('error');
  });

  it('marks failed calls and the error, and leaves failed calls out of the answer length', () => {
    const ledger = ledgerOf([
      { label: 're2', upstreamRequests: 1, usage: usage(40, 80), costUsd: 0.0002, n: 1 },
      { label: 'moa:critique', upstreamRequests: 0, usage: usage(0, 0), costUsd: 0, n: 3, failed: true },
    ]);
    const json = optimizationJson({
      technique: 're2&moa',
      source: 'prefix',
      options: {},
      request,
      bounds: { maxUpstreamRequests: 5, maxCompletionTokens: 1000 },
      ledger,
      primary: target,
      error: 'No healthy upstream could answer',
    });
    expect(json.calls[1]).toMatchObject({ label: 'moa:critique', failed: true });
    expect(json.error).toBe('No healthy upstream could answer');
    expect(plainEstimateUsd(request, ledger, target)).toBeCloseTo((countMessageTokens(request.messages) + 80 * 2) / 1e6, 15);
  });

  it("copies the router's predictions for the chosen pairing and for the model alone; a client's selector has none", () => {
    const ledger = ledgerOf([{ label: 'self_consistency:sample', upstreamRequests: 1, usage: usage(50, 500), costUsd: 0.00105, n: 5 }]);
    const candidate = (model: string, predictedQuality: number, estCostUsd: number, eligible: boolean) => ({
      model,
      predictedQuality,
      estCostUsd,
      estLatencyMs: 100,
      score: 0,
      eligible,
    });
    const decision = {
      id: 'dec_1',
      chosenModel: 'cheap',
      technique: { spec: 'self_consistency', options: { k: 5 } },
      candidates: [
        candidate('other+self_consistency(k=5)', 0.9, 0.01, false),
        candidate('cheap+self_consistency(k=5)', 0.82, 0.002, true),
        candidate('dear', 0.85, 0.006, true),
        candidate('cheap', 0.7, 0.0004, false),
      ],
    } as unknown as RouteDecision;
    const facts = {
      technique: 'self_consistency',
      options: { k: 5 },
      request,
      bounds: { maxUpstreamRequests: 5, maxCompletionTokens: 500 },
      ledger,
      primary: target,
      decision,
    };
    expect(optimizationJson({ ...facts, source: 'router' }).recommendation).toEqual({
      decision_id: 'dec_1',
      candidate: 'cheap+self_consistency(k=5)',
      predicted_quality: 0.82,
      est_cost_usd: 0.002,
      plain_predicted_quality: 0.7,
      plain_est_cost_usd: 0.0004,
    });
    expect(optimizationJson({ ...facts, source: 'body' })).not.toHaveProperty('recommendation');
  });
});
