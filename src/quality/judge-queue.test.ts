import { describe, expect, it } from 'vitest';
import { JudgeConfig } from '../config/quality-schema.ts';
import type { CompletionCall, CompletionResult } from '../optimizer/types.ts';
import { ZERO_USAGE } from '../providers/types.ts';
import { makeRequestRow } from '../store/store-test-support.ts';
import type { FeedbackRow } from '../store/types.ts';
import { JudgeQueue, type JudgeCompleteFactory } from './judge-queue.ts';
import { textOf } from '../optimizer/techniques/technique-kit.ts';

function result(text: string, model = 'judge-model'): CompletionResult {
  return { texts: [text], finishReasons: ['stop'], usage: ZERO_USAGE, costUsd: 0.0001, model, upstreamRequests: 1 };
}

/** A scripted judge: replies by request id, records every call. */
function scripted(replies: Record<string, string | Error>, calls: Array<{ model: string; requestId: string; call: CompletionCall }>): JudgeCompleteFactory {
  return (model, requestId) => async (call) => {
    calls.push({ model, requestId, call });
    const reply = replies[requestId] ?? '{"score": 0.5}';
    if (reply instanceof Error) throw reply;
    return result(reply);
  };
}

function setup(judgeInput: Record<string, unknown>, replies: Record<string, string | Error> = {}) {
  const stored: FeedbackRow[] = [];
  const calls: Array<{ model: string; requestId: string; call: CompletionCall }> = [];
  const warnings: unknown[] = [];
  const judge = JudgeConfig.parse({ model: 'judge-model', sample_rate: { default: 1 }, ...judgeInput });
  const queue = new JudgeQueue({
    config: () => judge,
    complete: scripted(replies, calls),
    store: { upsertFeedback: async (row) => void stored.push(row) },
    logger: { warn: (obj: unknown) => void warnings.push(obj) },
    now: () => 42,
  });
  return { queue, stored, calls, warnings };
}

const answered = (id: string, extra: Parameters<typeof makeRequestRow>[0] = {}) =>
  makeRequestRow({ id, status: 200, task_type: 'qa', prompt_text: '[{"role":"user","content":"2+2?"}]', response_text: '4', ...extra });

describe('JudgeQueue', () => {
  it('grades a sampled answered request in the background and stores the score as source judge', async () => {
    const { queue, stored, calls } = setup({ rubric: { qa: 'Is it right?' } }, { r1: '{"score": 0.9}' });
    expect(queue.offer(answered('r1'))).toBe(true);
    expect(stored).toHaveLength(0); // not on the caller's stack
    await queue.drain();
    expect(stored).toEqual([expect.objectContaining({ request_id: 'r1', source: 'judge', score: 0.9, comment: 'graded by judge-model', created_at: 42 })]);
    expect(calls[0]?.model).toBe('judge-model');
    expect(calls[0]?.call).toMatchObject({ temperature: 0, label: 'judge' });
    expect(textOf(calls[0]?.call.messages[1]?.content ?? '')).toContain('Rubric: Is it right?');
    expect(queue.counters).toMatchObject({ offered: 1, sampled: 1, graded: 1 });
  });

  it('grades each task type with its own judge model when the config names one', async () => {
    const { queue, calls } = setup({ model_by_task_type: { coding: 'code-judge' } }, { c1: '1', q1: '0' });
    queue.offer(answered('c1', { task_type: 'coding' }));
    queue.offer(answered('q1'));
    await queue.drain();
    expect(calls.map((c) => [c.requestId, c.model])).toEqual([
      ['c1', 'code-judge'],
      ['q1', 'judge-model'],
    ]);
  });

  it('uses the text handed over in memory when the row does not keep it, and skips requests without text', async () => {
    const { queue, stored, calls } = setup({});
    expect(queue.offer(answered('mem', { prompt_text: null, response_text: null }), { promptText: 'What is 2+2?', responseText: 'four' })).toBe(true);
    expect(queue.offer(answered('none', { prompt_text: null, response_text: null }))).toBe(false);
    await queue.drain();
    expect(stored.map((s) => s.request_id)).toEqual(['mem']);
    expect(textOf(calls[0]?.call.messages[1]?.content ?? '')).toContain('<answer>\nfour\n</answer>');
  });

  it('skips failed, cached and unsampled requests', () => {
    const { queue } = setup({ sample_rate: { qa: 0, default: 1 } });
    expect(queue.offer(answered('qa-unsampled'))).toBe(false);
    expect(queue.offer(answered('failed', { status: 502, task_type: 'chat' }))).toBe(false);
    expect(queue.offer(answered('cached', { cache_hit: true, task_type: 'chat' }))).toBe(false);
    expect(queue.offer(answered('chat', { task_type: 'chat' }))).toBe(true);
  });

  it('is bounded: past max_queue it drops and counts instead of queueing', async () => {
    const { queue, stored } = setup({ max_queue: 3, concurrency: 1 });
    const taken = Array.from({ length: 10 }, (_, i) => queue.offer(answered(`q${i}`)));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect(queue.counters.dropped).toBe(7);
    await queue.drain();
    expect(stored).toHaveLength(3);
  });

  it('counts unparsable replies and failing calls, never throws, and keeps grading the rest', async () => {
    const { queue, stored, warnings } = setup({}, { bad: 'Looks good to me, 9/10', boom: new Error('upstream down') });
    expect(queue.offer(answered('bad'))).toBe(true);
    expect(queue.offer(answered('boom'))).toBe(true);
    expect(queue.offer(answered('fine'))).toBe(true);
    await queue.drain();
    expect(stored.map((s) => s.request_id)).toEqual(['fine']);
    expect(queue.counters).toMatchObject({ graded: 1, unparsable: 1, failed: 1 });
    expect(warnings).toHaveLength(2);
  });

  it('takes no offers without a judge config or after close', async () => {
    const stored: FeedbackRow[] = [];
    const off = new JudgeQueue({ config: () => undefined, complete: scripted({}, []), store: { upsertFeedback: async (r) => void stored.push(r) } });
    expect(off.offer(answered('x'))).toBe(false);
    const { queue } = setup({});
    await queue.close();
    expect(queue.offer(answered('y'))).toBe(false);
  });
});
