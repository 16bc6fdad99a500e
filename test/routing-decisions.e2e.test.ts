import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestStack, type TestStack } from './helpers/test-stack.ts';

/**
 * Story 2.2's demonstrations through the real HTTP API: a simple summarization goes to a cheaper,
 * faster model; a detailed multi-step analysis goes to a more capable one; both decisions carry their
 * rules and rationale in the decision log and at GET /v1/decisions/{id}.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    config: (base) => ({
      ...base,
      routing: {
        rules: [
          {
            name: 'cheap-simple-summaries',
            match: { task_types: ['summarization'], complexity: { max: 0.4 } },
            action: { prefer: ['tier:economy'], goal: 'cost', min_quality: 0.75 },
          },
          {
            name: 'deep-analysis-needs-quality',
            match: { task_types: ['reasoning'], complexity: { min: 0.4 } },
            action: { goal: 'quality', min_quality: 0.85, exclude: ['tier:economy'] },
          },
        ],
      },
    }),
  });
});
afterAll(async () => {
  await stack?.close();
});

async function decisionFor(requestId: string | null) {
  await stack.gateway.runtime.gateway.writer.flush();
  const res = await fetch(`${stack.url}/v1/decisions/${requestId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    chosen_model: string;
    task_type: string;
    complexity: number;
    language: string;
    rules: string[];
    rationale: string;
    candidates: Array<{ model: string; estCostUsd: number; estLatencyMs: number; predictedQuality: number }>;
    decision_us: number;
    router_version: string;
  };
}

const tierOf = (model: string) => stack.gateway.runtime.gateway.catalog.target(model)?.model.tier;

describe('routing decisions (story 2.2)', () => {
  let cheap: Awaited<ReturnType<typeof decisionFor>>;
  let capable: Awaited<ReturnType<typeof decisionFor>>;

  it('a simple summarization goes to a cheaper, faster model', async () => {
    const { response } = await stack.client.chat.completions
      .create({
        model: 'auto',
        messages: [{ role: 'user', content: 'Summarize in one sentence: the team moved the weekly sync from Monday to Tuesday at 10am.' }],
      })
      .withResponse();
    expect(response.headers.get('x-aigw-route-rule')).toBe('cheap-simple-summaries');
    cheap = await decisionFor(response.headers.get('x-aigw-request-id'));
    expect(cheap.task_type).toBe('summarization');
    expect(cheap.language).toBe('en');
    expect(cheap.complexity).toBeLessThan(0.4);
    expect(tierOf(cheap.chosen_model)).toBe('economy');
    expect(cheap.rules).toEqual(['cheap-simple-summaries']);
    expect(cheap.rationale).toContain(cheap.chosen_model);
    expect(cheap.rationale).toContain('cheap-simple-summaries');
    expect(cheap.decision_us).toBeGreaterThan(0);
    expect(cheap.router_version).toMatch(/^policy-/);
  });

  it('a detailed multi-step analysis goes to a more capable model', async () => {
    const { response } = await stack.client.chat.completions
      .create({
        model: 'auto',
        messages: [
          {
            role: 'user',
            content:
              'Provide a detailed multi-step analysis of whether a 40-person fintech should split its monolith into services. ' +
              'First compare operational cost, then reason step by step about compliance, latency, team topology and migration risk, ' +
              'weigh the trade-offs against each other, and conclude with a justified recommendation and the evidence that would change it.',
          },
        ],
      })
      .withResponse();
    expect(response.headers.get('x-aigw-route-rule')).toBe('deep-analysis-needs-quality');
    capable = await decisionFor(response.headers.get('x-aigw-request-id'));
    expect(capable.task_type).toBe('reasoning');
    expect(capable.complexity).toBeGreaterThanOrEqual(0.4);
    expect(tierOf(capable.chosen_model)).not.toBe('economy');
    expect(capable.rules).toEqual(['deep-analysis-needs-quality']);
    expect(capable.rationale).toContain('deep-analysis-needs-quality');
  });

  it('the analysis model is more capable, the summary model cheaper and faster', () => {
    const quality = (d: typeof cheap, model: string) => d.candidates.find((c) => c.model === model)?.predictedQuality ?? 0;
    const pricing = (model: string) => stack.gateway.runtime.gateway.catalog.target(model)?.model.pricing.output ?? 0;
    const ttft = (model: string) => stack.gateway.runtime.gateway.catalog.target(model)?.model.latency.ttft_ms ?? 0;
    expect(pricing(cheap.chosen_model)).toBeLessThan(pricing(capable.chosen_model));
    expect(ttft(cheap.chosen_model)).toBeLessThan(ttft(capable.chosen_model));
    expect(quality(capable, capable.chosen_model)).toBeGreaterThan(quality(capable, cheap.chosen_model));
  });

  it('POST /v1/route returns the decision without calling a model', async () => {
    const before = stack.sim.stats().requests;
    const res = await postJson(`${stack.url}/v1/route`, {
      model: 'auto',
      messages: [{ role: 'user', content: 'Summarize: sales rose 4% in March.' }],
    });
    expect(res.status).toBe(200);
    const decision = res.json.decision as { chosen_model: string; rules: string[]; rationale: string };
    expect(res.json.model).toBe(decision.chosen_model);
    expect(decision.rules).toEqual(['cheap-simple-summaries']);
    expect(stack.sim.stats().requests).toBe(before);
  });

  it('caller overrides win and a bad override is a 400 naming it', async () => {
    const res = await postJson(
      `${stack.url}/v1/route`,
      { model: 'auto', messages: [{ role: 'user', content: 'Summarize: sales rose 4% in March.' }] },
      { 'x-aigw-goal': 'quality', 'x-aigw-min-quality': '0.9' },
    );
    expect((res.json.decision as { goal: string }).goal).toBe('quality');
    const bad = await postJson(`${stack.url}/v1/route`, { model: 'auto', messages: [{ role: 'user', content: 'hi' }] }, { 'x-aigw-min-quality': 'lots' });
    expect(bad.status).toBe(400);
    expect((bad.json.error as { param: string }).param).toBe('x-aigw-min-quality');
  });
});
