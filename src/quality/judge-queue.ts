import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { JudgeConfig } from '../config/quality-schema.ts';
import type { Complete } from '../optimizer/types.ts';
import { GATEWAY_SPEND_KEYS, type FeedbackRow, type RequestRow } from '../store/types.ts';
import { DailySpendCap } from './daily-spend-cap.ts';
import { isSampledForJudge, judgeMessages, judgeModelFor, judgeRubric, judgeSampleRate, parseJudgeScore } from './judge-prompt.ts';

/** A `Complete` that calls the judge model; `forRequestId` lets the gateway tag the grading call's own row. */
export type JudgeCompleteFactory = (model: string, forRequestId: string) => Complete;

/** What one grading needs; the texts come from the row (log_content) or from the request path in memory. */
export interface JudgeItem {
  requestId: string;
  taskType: string;
  promptText: string;
  responseText: string;
}

/** The text of a request and its answer, passed in memory when the row does not keep them. */
export interface JudgeContent {
  promptText: string;
  responseText: string;
}

export interface JudgeCounters {
  offered: number;
  sampled: number;
  graded: number;
  /** Replies that were not a strict 0–1 score. */
  unparsable: number;
  /** Calls or writes that failed. */
  failed: number;
  /** Skipped because the queue was full. */
  dropped: number;
  /** Not graded because the judge's daily USD cap (`daily_budget_usd`) was reached. */
  capped: number;
}

export interface JudgeQueueDeps {
  /** Read on every offer, so a config reload changes model, rates and rubrics at once. */
  config: () => JudgeConfig | undefined;
  complete: JudgeCompleteFactory;
  store: { upsertFeedback(row: FeedbackRow): Promise<void>; sumRequestCostSince?(keyId: string, sinceMs: number): Promise<number> };
  logger?: Pick<Logger, 'warn'>;
  now?: () => number;
}

/**
 * Background LLM-as-judge: the request path offers each answered request (a synchronous, constant-time
 * call that never throws), a deterministic sample by request id is queued up to `max_queue`, and up to
 * `concurrency` grading calls run off the request path. A grade is stored as feedback source `judge`.
 * Judge failures are counted and logged; they never reach a client or stop the gateway.
 */
export class JudgeQueue {
  readonly counters: JudgeCounters = { offered: 0, sampled: 0, graded: 0, unparsable: 0, failed: 0, dropped: 0, capped: 0 };
  readonly spend: DailySpendCap;
  private readonly waiting: JudgeItem[] = [];
  private active = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly deps: JudgeQueueDeps) {
    const store = deps.store;
    this.spend = new DailySpendCap({
      capUsd: () => deps.config()?.daily_budget_usd ?? 0,
      ...(store.sumRequestCostSince ? { storedSince: (sinceMs: number) => store.sumRequestCostSince!(GATEWAY_SPEND_KEYS.judge, sinceMs) } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      onError: (err) => deps.logger?.warn({ err }, "judge: reading today's judge spend failed"),
    });
  }

  /**
   * The hook the request path calls after the row is written. Uses the row's stored texts when
   * `server.log_content` keeps them, else `content` handed over in memory. Returns whether it was queued.
   */
  offer(row: RequestRow, content?: JudgeContent): boolean {
    try {
      return this.offerUnsafe(row, content);
    } catch (err) {
      this.counters.failed += 1;
      this.deps.logger?.warn({ err, requestId: row.id }, 'judge: offer failed');
      return false;
    }
  }

  private offerUnsafe(row: RequestRow, content: JudgeContent | undefined): boolean {
    const judge = this.deps.config();
    if (!judge || this.closed) return false;
    this.counters.offered += 1;
    if (row.status !== 200 || row.cache_hit || row.task_type === null) return false;
    if (!isSampledForJudge(row.id, judgeSampleRate(judge, row.task_type))) return false;
    const promptText = row.prompt_text ?? content?.promptText;
    const responseText = row.response_text ?? content?.responseText;
    if (!promptText || !responseText) return false;
    this.counters.sampled += 1;
    if (!this.spend.allows()) {
      this.counters.capped += 1;
      return false;
    }
    if (this.waiting.length + this.active >= judge.max_queue) {
      this.counters.dropped += 1;
      return false;
    }
    this.waiting.push({ requestId: row.id, taskType: row.task_type, promptText, responseText });
    this.pump(judge.concurrency);
    return true;
  }

  /** Resolves once nothing is waiting or grading (tests, shutdown). */
  drain(): Promise<void> {
    if (this.waiting.length === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking offers and waits for the grades in progress, at most `timeoutMs`. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drain(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private pump(concurrency: number): void {
    while (this.active < concurrency && this.waiting.length > 0) {
      const item = this.waiting.shift() as JudgeItem;
      this.active += 1;
      // Started on a later tick: the grading call never runs inside the request path's own stack.
      setImmediate(() => {
        void this.grade(item).finally(() => {
          this.active -= 1;
          const judge = this.deps.config();
          if (judge && this.waiting.length > 0) this.pump(judge.concurrency);
          else if (this.waiting.length > 0) this.waiting.length = 0;
          if (this.waiting.length === 0 && this.active === 0) this.notifyIdle();
        });
      });
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async grade(item: JudgeItem): Promise<void> {
    const judge = this.deps.config();
    if (!judge) return;
    // Queued before the cap was reached: the cap wins over the queue.
    if (!this.spend.allows()) {
      this.counters.capped += 1;
      return;
    }
    try {
      const complete = this.deps.complete(judgeModelFor(judge, item.taskType), item.requestId);
      const result = await complete({
        messages: judgeMessages(judgeRubric(judge, item.taskType), item.promptText, item.responseText, judge.max_chars),
        temperature: 0,
        max_tokens: 20,
        label: 'judge',
      });
      this.spend.add(result.costUsd);
      const score = parseJudgeScore(result.texts[0] ?? '');
      if (score === null) {
        this.counters.unparsable += 1;
        this.deps.logger?.warn({ requestId: item.requestId, reply: (result.texts[0] ?? '').slice(0, 200) }, 'judge: reply is not a 0–1 score');
        return;
      }
      await this.deps.store.upsertFeedback({
        id: `fb_${randomUUID()}`,
        request_id: item.requestId,
        source: 'judge',
        score,
        comment: `graded by ${result.model}`,
        created_at: (this.deps.now ?? Date.now)(),
      });
      this.counters.graded += 1;
    } catch (err) {
      this.counters.failed += 1;
      this.deps.logger?.warn({ err, requestId: item.requestId }, 'judge: grading failed');
    }
  }
}
