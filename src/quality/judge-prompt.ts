import type { JudgeConfig } from '../config/quality-schema.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import { inPercentSplit } from '../router/policy/match-rules.ts';

/** Used when the config gives no rubric for the task type and no `default`. */
export const DEFAULT_RUBRIC = 'Is the answer correct, complete and responsive to the request, without invented facts? 1 = fully, 0.5 = partly, 0 = not at all.';

/** The sample rate for a task type: its own, else `default`, else 0. */
export function judgeSampleRate(judge: JudgeConfig, taskType: string): number {
  const rates = judge.sample_rate as Readonly<Record<string, number | undefined>>;
  return rates[taskType] ?? rates['default'] ?? 0;
}

export function judgeModelFor(judge: JudgeConfig, taskType: string): string {
  const models = judge.model_by_task_type as Readonly<Record<string, string | undefined>>;
  return models[taskType] ?? judge.model;
}

export function judgeRubric(judge: JudgeConfig, taskType: string): string {
  const rubrics = judge.rubric as Readonly<Record<string, string | undefined>>;
  return rubrics[taskType] ?? rubrics['default'] ?? DEFAULT_RUBRIC;
}

/**
 * Whether a request is graded: a hash of its id against the rate, so the same request is always in or
 * out (replicas agree, a replay grades the same sample), independent of every routing rule's split.
 */
export function isSampledForJudge(requestId: string, rate: number): boolean {
  return inPercentSplit('aigw-judge', requestId, rate * 100);
}

function clip(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}\n[… ${text.length - maxChars} characters cut]`;
}

/** The grading conversation: instructions and the required reply shape, then the request and the answer. */
export function judgeMessages(rubric: string, promptText: string, responseText: string, maxChars: number): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You grade answers of an AI assistant. Apply the rubric to the answer given to the request. ' +
        'Reply with exactly one JSON object and nothing else: {"score": S} where S is a number from 0 to 1.',
    },
    {
      role: 'user',
      content: `Rubric: ${rubric}\n\n<request>\n${clip(promptText, maxChars)}\n</request>\n\n<answer>\n${clip(responseText, maxChars)}\n</answer>`,
    },
  ];
}

const BARE_SCORE = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;

/**
 * The judge's score, strictly: the whole reply must be `{"score": S}` (other keys allowed) or a bare
 * number, with S in 0–1. Anything else — prose, a score out of range, two numbers — is null, not a guess.
 */
export function parseJudgeScore(reply: string): number | null {
  const text = reply.trim();
  if (BARE_SCORE.test(text)) return Number(text);
  if (!text.startsWith('{')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const score = (value as { score?: unknown }).score;
  return typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 1 ? score : null;
}
