import { TASK_TYPES, type TaskType } from '../../config/schema.ts';
import { createPicker, seededRandom } from './seeded-random.ts';
import { CHAT_TEMPLATES } from './corpus/chat.ts';
import { CLASSIFICATION_TEMPLATES } from './corpus/classification.ts';
import { CODING_TEMPLATES } from './corpus/coding.ts';
import { CREATIVE_WRITING_TEMPLATES } from './corpus/creative-writing.ts';
import { EXTRACTION_TEMPLATES } from './corpus/extraction.ts';
import { MATH_TEMPLATES } from './corpus/math.ts';
import { QA_TEMPLATES } from './corpus/qa.ts';
import { REASONING_TEMPLATES } from './corpus/reasoning.ts';
import { SUMMARIZATION_TEMPLATES } from './corpus/summarization.ts';
import { TRANSLATION_TEMPLATES } from './corpus/translation.ts';
import type { PromptBody, PromptTemplate } from './corpus/template.ts';

export type { DemoMessage, PromptBody, PromptTemplate } from './corpus/template.ts';

/** One prompt of the demo traffic, labelled with the task type it was written for. */
export interface DemoPrompt extends PromptBody {
  /** `<task type>/<template>#<index>`: stable for a seed. */
  id: string;
  taskType: TaskType;
  template: string;
}

export const DEMO_TEMPLATES: Readonly<Record<TaskType, readonly PromptTemplate[]>> = {
  summarization: SUMMARIZATION_TEMPLATES,
  extraction: EXTRACTION_TEMPLATES,
  classification: CLASSIFICATION_TEMPLATES,
  translation: TRANSLATION_TEMPLATES,
  qa: QA_TEMPLATES,
  chat: CHAT_TEMPLATES,
  coding: CODING_TEMPLATES,
  math: MATH_TEMPLATES,
  reasoning: REASONING_TEMPLATES,
  creative_writing: CREATIVE_WRITING_TEMPLATES,
};

/** Rough shape of an application's traffic: more chat, Q&A and summaries than puzzles. */
export const DEMO_TASK_WEIGHTS: Readonly<Record<TaskType, number>> = {
  chat: 14,
  qa: 14,
  summarization: 12,
  coding: 12,
  extraction: 10,
  classification: 10,
  translation: 8,
  math: 7,
  reasoning: 7,
  creative_writing: 6,
};

const MAX_REDRAWS = 200;

/**
 * `count` distinct prompts, the same for the same seed. The first ten cover every task type once
 * (so even a short run shows them all); the rest follow DEMO_TASK_WEIGHTS.
 */
export function generateDemoPrompts(count: number, seed = 1): DemoPrompt[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`prompt count must be a non-negative integer; got ${count}`);
  const pick = createPicker(seededRandom(seed));
  const coverFirst = pick.some(TASK_TYPES, TASK_TYPES.length);
  const weighted = TASK_TYPES.flatMap((t) => Array<TaskType>(DEMO_TASK_WEIGHTS[t]).fill(t));
  const seen = new Set<string>();
  const prompts: DemoPrompt[] = [];
  for (let index = 0; index < count; index++) {
    const taskType = coverFirst[index] ?? pick.one(weighted);
    prompts.push(drawDistinct(taskType, index, seen, pick));
  }
  return prompts;
}

function drawDistinct(taskType: TaskType, index: number, seen: Set<string>, pick: ReturnType<typeof createPicker>): DemoPrompt {
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    const template = pick.one(DEMO_TEMPLATES[taskType]);
    const body = template.build(pick);
    const key = promptKey(body);
    if (seen.has(key)) continue;
    seen.add(key);
    return { id: `${taskType}/${template.name}#${index}`, taskType, template: template.name, ...body };
  }
  throw new Error(`the ${taskType} templates ran out of distinct prompts after ${index} prompts; ask for fewer requests`);
}

/** What makes two prompts the same request: messages, tools and JSON mode. */
export function promptKey(body: PromptBody): string {
  return JSON.stringify([body.messages, body.tools ?? null, body.jsonMode === true]);
}
