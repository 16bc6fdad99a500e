import type { TaskType } from '../config/schema.ts';

/**
 * The simulator's own keyword classifier. Deliberately tiny and independent of the router's
 * classifier: the simulated world must not share the router's notion of a task type, or routing
 * results on it would be self-fulfilling. First match wins, in this order.
 */
const RULES: Array<[TaskType, RegExp]> = [
  ['translation', /\btranslat(e|ion)\b|\binto (english|french|spanish|german|italian|chinese|japanese|korean|portuguese)\b/i],
  ['summarization', /\bsummar(y|ise|ize|ization)\b|\btl;?dr\b|\bkey points\b/i],
  [
    'coding',
    /```|\b(def|function|class|return|import|const)\b.*[({:]|\b(python|javascript|typescript|java|rust|golang|sql|regex|bash)\b|\bwrite a (function|program|script|query)\b|\b(bug|compile|stack trace|unit test)\b/i,
  ],
  ['math', /\d\s*[-+*/^×÷]\s*\d|\b(solve|equation|integral|derivative|calculate|compute|probability|arithmetic)\b|\bhow (many|much)\b.*\d/i],
  ['extraction', /\bextract\b|\b(list|find) all\b|\bpull out\b|\bfrom the (following|text|document)\b.*\b(names?|dates?|emails?|fields?)\b/i],
  ['classification', /\bclassify\b|\bcategori[sz]e\b|\bsentiment\b|\b(which|what) category\b|\blabel (this|the|each)\b/i],
  ['creative_writing', /\b(poem|story|haiku|lyrics|limerick|slogan|tagline|fiction)\b|\bwrite an? (essay|creative|short)\b/i],
  ['reasoning', /\bstep[- ]by[- ]step\b|\bexplain why\b|\b(puzzle|riddle|deduce|infer|logically|implies)\b|\b_\b/i],
  ['qa', /\?\s*$|^\s*(what|who|when|where|which|why|how|is|are|does|do|can)\b|\banswer:\s*$/im],
];

export function classifySimTaskType(text: string): TaskType {
  // Long prompts are classified on their head and tail only: keeps the cost bounded per request.
  const sample = text.length > 4_000 ? `${text.slice(0, 2_000)}\n${text.slice(-2_000)}` : text;
  for (const [type, re] of RULES) if (re.test(sample)) return type;
  return 'chat';
}
