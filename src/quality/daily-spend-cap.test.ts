import { describe, expect, it } from 'vitest';
import { JudgeConfig } from '../config/quality-schema.ts';
import { ZERO_USAGE } from '../providers/types.ts';
import { makeRequestRow } from '../store/store-test-support.ts';
import type { FeedbackRow } from '../store/types.ts';
import { DailySpendCap } from './daily-spend-cap.ts';
import { JudgeQueue } from './judge-queue.ts';

const DAY_MS = 86_400_000;
const answered = (id: string) => makeRequestRow({ id, status: 200, task_type: 'qa', prompt_text: 'q', response_text: 'a' });

describe("the judge's daily USD cap", () => {
  it('stops grading for the rest of the UTC day once reached, and grades again the next day', async () => {
    let nowMs = 3 * DAY_MS + 10 * 3_600_000; // 10:00 UTC
    const graded: FeedbackRow[] = [];
    const calls: string[] = [];
    const queue = new JudgeQueue({
      config: () => JudgeConfig.parse({ model: 'judge-model', sample_rate: { default: 1 }, daily_budget_usd: 0.025, concurrency: 1 }),
      complete: (model, requestId) => async () => {
        calls.push(requestId);
        return { texts: ['0.8'], finishReasons: ['stop'], usage: ZERO_USAGE, costUsd: 0.01, model, upstreamRequests: 1 };
      },
      store: { upsertFeedback: async (row) => void graded.push(row) },
      now: () => nowMs,
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      queue.offer(answered(id));
      await queue.drain();
    }
    // 3 calls at $0.01 reach $0.03 ≥ $0.025: the 4th and 5th are not made.
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(queue.counters).toMatchObject({ graded: 3, capped: 2 });
    nowMs = 3 * DAY_MS + 23 * 3_600_000 + 59 * 60_000; // 23:59 the same day: still capped
    expect(queue.offer(answered('f'))).toBe(false);
    nowMs = 4 * DAY_MS + 60_000; // 00:01 UTC the next day
    expect(queue.offer(answered('g'))).toBe(true);
    await queue.drain();
    expect(calls).toEqual(['a', 'b', 'c', 'g']);
    expect(queue.spend.spentTodayUsd()).toBeCloseTo(0.01, 12);
  });

  it("counts the store's spend of the day (a restart, another replica) without waiting for it", async () => {
    const nowMs = 5 * DAY_MS + 3_600_000;
    const asked: number[] = [];
    const cap = new DailySpendCap({
      capUsd: () => 1,
      storedSince: async (sinceMs) => {
        asked.push(sinceMs);
        return 1.5;
      },
      now: () => nowMs,
    });
    expect(cap.allows()).toBe(true); // the read is in the background: this check did not wait for it
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual([5 * DAY_MS]);
    expect(cap.allows()).toBe(false);
  });

  it('a cap of 0 turns grading off', () => {
    const queue = new JudgeQueue({
      config: () => JudgeConfig.parse({ model: 'judge-model', sample_rate: { default: 1 }, daily_budget_usd: 0 }),
      complete: () => async () => {
        throw new Error('must not be called');
      },
      store: { upsertFeedback: async () => {} },
    });
    expect(queue.offer(answered('x'))).toBe(false);
    expect(queue.counters.capped).toBe(1);
  });
});
