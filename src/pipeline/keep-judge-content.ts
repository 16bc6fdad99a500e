import type { Gateway } from './gateway-types.ts';
import type { RequestRecord } from './request-record.ts';
import { isSampledForJudge, judgeSampleRate } from '../quality/judge-prompt.ts';

/**
 * Called by the request path once the answer is known: with `log_content` off, keeps the prompt and
 * answer in memory on the record — only for requests the judge will sample, so nothing is held for the
 * rest — and `recordRequest` hands them to the judge with the row.
 */
export function keepJudgeContent(g: Gateway, record: RequestRecord, messages: unknown, responseText: string): void {
  const judge = g.config.quality.judge;
  const taskType = record.row.task_type;
  if (!judge || !g.judge || g.config.server.log_content || taskType === null) return;
  if (!isSampledForJudge(record.row.id, judgeSampleRate(judge, taskType))) return;
  record.judgeContent = { promptText: JSON.stringify(messages), responseText };
}
