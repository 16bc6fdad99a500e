import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JudgeConfig } from '../config/quality-schema.ts';
import { makeRequestRow } from '../store/store-test-support.ts';
import { startTestStack, type TestStack } from '../../test/helpers/test-stack.ts';
import { gatewayJudgeComplete } from './gateway-judge-complete.ts';
import { JudgeQueue } from '../quality/judge-queue.ts';

let stack: TestStack;
beforeAll(async () => {
  // log_content stays off: the judge gets the texts in memory from the request path.
  stack = await startTestStack({ config: (base) => ({ ...base, quality: { judge: { model: 'sim-nano', sample_rate: { default: 1 } } } }) });
});
afterAll(async () => {
  await stack?.close();
});

describe("the judge over the gateway's providers", () => {
  it('calls the judge model through the gateway and leaves a priced row tagged with the graded request', async () => {
    const g = () => stack.gateway.runtime.gateway;
    const complete = gatewayJudgeComplete(g)('sim-nano', 'req-graded-1');
    const result = await complete({ messages: [{ role: 'user', content: 'Grade this: 2+2=4' }], max_tokens: 20, temperature: 0, label: 'judge' });
    expect(result.model).toBe('sim-nano');
    expect(result.texts[0]?.length).toBeGreaterThan(0);
    await g().writer.flush();
    const ids = await g().store.listRequestIds();
    const rows = await Promise.all(ids.map((id) => g().store.getRequest(id)));
    const judgeRow = rows.find((r) => r?.id.startsWith('judge_'));
    expect(judgeRow).toMatchObject({
      model_requested: 'sim-nano',
      model_used: 'sim-nano',
      key_id: 'aigw:judge',
      status: 200,
      metadata: '{"aigw_judge_for":"req-graded-1"}',
    });
    expect(judgeRow?.cost_usd).toBeCloseTo(result.costUsd, 12);
    expect(judgeRow?.cost_usd).toBeGreaterThan(0);
  });

  it("grades an answered request in the background: a judge feedback row and the judge call's own row", async () => {
    const g = () => stack.gateway.runtime.gateway;
    const { response } = await stack.client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'What is the capital of France?' }], max_tokens: 30 })
      .withResponse();
    const requestId = response.headers.get('x-aigw-request-id') ?? '';
    expect(g().config.server.log_content).toBe(false);
    for (let i = 0; i < 100 && (await g().store.listFeedback(requestId)).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const feedback = await g().store.listFeedback(requestId);
    // The simulated judge answers the score schema with its minimum; a real model grades.
    expect(feedback).toEqual([expect.objectContaining({ request_id: requestId, source: 'judge', score: 0, comment: 'graded by sim-nano' })]);
    await g().writer.flush();
    const rows = await Promise.all((await g().store.listRequestIds()).map((id) => g().store.getRequest(id)));
    expect(rows.some((r) => r?.metadata === JSON.stringify({ aigw_judge_for: requestId }))).toBe(true);
    const original = rows.find((r) => r?.id === requestId);
    expect(original?.prompt_text).toBeNull();
  });

  it('an unknown judge model fails the grading, not the gateway', async () => {
    const g = () => stack.gateway.runtime.gateway;
    const queue = new JudgeQueue({
      config: () => JudgeConfig.parse({ model: 'no-such-model', sample_rate: { default: 1 } }),
      complete: gatewayJudgeComplete(g),
      store: g().store,
    });
    expect(queue.offer(makeRequestRow({ id: 'req-x', status: 200, task_type: 'qa', prompt_text: 'q', response_text: 'a' }))).toBe(true);
    await queue.drain();
    expect(queue.counters).toMatchObject({ failed: 1, graded: 0 });
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
  });
});
