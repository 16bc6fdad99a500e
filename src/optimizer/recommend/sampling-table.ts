import type { TaskType } from '../../config/enums.ts';
import type { ParameterRecommendation } from './recommendation-types.ts';

/**
 * Sampling parameters per task type. Tasks with one right answer (a label, a field, a number) want the
 * most likely tokens every time: temperature 0. Tasks that rephrase a given text (summaries,
 * translations, answers) want a little variety at most. Open-ended tasks want more: chat 0.7, creative
 * writing 0.9 with top_p 0.95 to drop the long tail of unlikely words. A table of common practice, not
 * measured here: the evidence says so.
 */
export const SAMPLING_BY_TASK: Readonly<Record<TaskType, { temperature: number; topP: number; why: string }>> = {
  classification: { temperature: 0, topP: 1, why: 'one right label: the same input should get the same answer' },
  extraction: { temperature: 0, topP: 1, why: 'fields copied from the input: no room for invention' },
  math: { temperature: 0, topP: 1, why: 'one right number: take the most likely derivation' },
  coding: { temperature: 0.2, topP: 0.95, why: 'code must compile: stay close to the most likely tokens' },
  qa: { temperature: 0.2, topP: 1, why: 'factual answers: little variety wanted' },
  reasoning: { temperature: 0.2, topP: 1, why: 'step-by-step answers drift with high temperature' },
  summarization: { temperature: 0.3, topP: 1, why: 'rephrasing a given text: a little variety at most' },
  translation: { temperature: 0.3, topP: 1, why: 'faithful to the source: a little variety at most' },
  chat: { temperature: 0.7, topP: 1, why: 'conversation: varied but on topic' },
  creative_writing: { temperature: 0.9, topP: 0.95, why: 'variety is the point; top_p drops the unlikely tail' },
};

/** Provider default when a request leaves them out (OpenAI, Anthropic and Gemini all default to 1). */
const PROVIDER_DEFAULT = 1;

/** temperature and top_p for the task type, where they differ from what the request would get. */
export function recommendSampling(taskType: TaskType, current: { temperature?: number | null; top_p?: number | null }): ParameterRecommendation[] {
  const row = SAMPLING_BY_TASK[taskType];
  const out: ParameterRecommendation[] = [];
  const pairs = [
    ['temperature', current.temperature ?? null, row.temperature],
    ['top_p', current.top_p ?? null, row.topP],
  ] as const;
  for (const [parameter, value, recommended] of pairs) {
    if ((value ?? PROVIDER_DEFAULT) === recommended) continue;
    out.push({
      parameter,
      current: value,
      recommended,
      reason: `${taskType}: ${row.why}`,
      effect: { cost_usd: 0, quality: null, note: 'same price per token; answers vary less (or more, for open-ended tasks) — not measured' },
      evidence: { source: 'task_type_table', requests: 0, table: 'docs/optimizer.md#sampling-parameters-per-task-type' },
    });
  }
  return out;
}
