import type { TaskType } from '../../config/schema.ts';
import type { DenseFeatureName } from './dense-features.ts';
import type { PromptText } from './prompt-text.ts';

/**
 * Task type from keyword and structure rules, scored rather than first-match so that "write a Python
 * function that sums a list" is coding (code verbs + code nouns) and not creative writing (write).
 *
 * Rules (points, summed per task type over the instruction text = first 600 and last 600 characters
 * of the last user turn):
 * - translation: "translate", "translation", "in/into <language>" (3 each)
 * - coding: code fences (4), "function/program/script/code/class/regex/SQL/algorithm/bug/compile" with
 *   a code verb (3), code keywords and symbols (up to 3)
 * - summarization: "summarize/summary/tl;dr/condense/key points/main points/gist" (3)
 * - extraction: "extract/pull out/list all/find all/identify all/parse ... into/named entities" (3)
 * - classification: "classify/categorize/sentiment/label/which category/is this ... spam|positive" (3)
 * - math: math keywords with digits or math symbols, equations (up to 4)
 * - creative_writing: "poem/story/haiku/lyrics/..." with a writing verb (3)
 * - reasoning: reasoning markers ("why/explain/analyze/compare/prove/step by step"), fill-in-the-blank
 *   and multi-step prompts (up to 3)
 * - qa: a question (question mark, wh-word) or multiple-choice options (2)
 * - chat: what remains — greetings, short conversational turns, multi-turn small talk.
 * Ties go to the earlier type in the list above.
 */

const ORDER: readonly TaskType[] = [
  'translation',
  'coding',
  'summarization',
  'extraction',
  'classification',
  'math',
  'creative_writing',
  'reasoning',
  'qa',
  'chat',
];

const R = {
  translate: /\b(translate|translation|translating)\b|\b(in|into|to) (english|french|spanish|german|italian|portuguese|chinese|japanese|korean|russian|arabic|hindi|dutch)\b/gi,
  codeNoun: /\b(function|program|script|code|class|method|regex|regular expression|sql|query|algorithm|bug|compile|api|unit tests?|python|javascript|typescript|java|c\+\+|rust|golang|bash)\b/gi,
  codeVerb: /\b(write|implement|create|fix|debug|refactor|optimi[sz]e|complete|generate|port|convert)\b/i,
  summarize: /\b(summari[sz]e|summary|summarization|tl;?dr|condense|key points|main points|gist|recap)\b/gi,
  extract: /\b(extract|pull out|list all|find all|identify all|named entities|parse .{0,40} into|fill in the json|key-value)\b/gi,
  classify: /\b(classify|classification|categori[sz]e|sentiment|label (this|the|each)|which category|is (this|it) (spam|positive|negative|toxic))\b/gi,
  mathWord: /\b(solve|equation|integral|derivative|calculate|compute|probability|how many|how much|remainder|divisible|polynomial|sqrt|evaluate the expression|simplify)\b/gi,
  equation: /\d\s*[-+*/^=]\s*\d|[a-z]\s*\^\s*\d|\d\s*[a-z]\s*[-+=]/gi,
  creative: /\b(poem|story|haiku|limerick|lyrics|song|sonnet|novel|fiction|screenplay|fairy tale|short story|slogan|joke)\b/gi,
  writeVerb: /\b(write|compose|create|draft|imagine|tell me)\b/i,
  greeting: /^\s*(hi|hello|hey|thanks|thank you|good (morning|evening|afternoon)|how are you)\b/i,
};

function hits(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  re.lastIndex = 0;
  return n;
}

export function instructionText(text: PromptText): string {
  const t = text.lastUser;
  return t.length <= 1200 ? t : `${t.slice(0, 600)}\n${t.slice(t.length - 600)}`;
}

export function classifyTaskType(text: PromptText, dense: Readonly<Record<DenseFeatureName, number>>): TaskType {
  const instr = instructionText(text);
  const score: Record<TaskType, number> = {
    translation: 3 * Math.min(2, hits(instr, R.translate)),
    coding: 0,
    summarization: 3 * Math.min(2, hits(instr, R.summarize)),
    extraction: 3 * Math.min(2, hits(instr, R.extract)),
    classification: 3 * Math.min(2, hits(instr, R.classify)),
    math: 0,
    creative_writing: 0,
    reasoning: 0,
    qa: 0,
    chat: 0.5,
  };
  const codeNouns = hits(instr, R.codeNoun);
  score.coding =
    (dense.code_fences > 0 ? 4 : 0) +
    (codeNouns > 0 && R.codeVerb.test(instr) ? 3 : codeNouns > 1 ? 1.5 : 0) +
    Math.min(3, dense.code_keywords * 1.2 + dense.code_symbol_density * 20);
  const mathWords = hits(instr, R.mathWord);
  const equations = hits(instr, R.equation);
  score.math = Math.min(4, mathWords * 1.5 + equations * 1 + dense.math_symbol_density * 30 + (dense.digit_ratio > 0.05 ? 1 : 0));
  if (mathWords === 0 && equations === 0) score.math = Math.min(score.math, 1.5);
  const creative = hits(instr, R.creative);
  score.creative_writing = creative > 0 && R.writeVerb.test(instr) ? 3 + Math.min(1, creative - 1) : creative > 1 ? 1.5 : 0;
  score.reasoning = Math.min(
    3,
    dense.reasoning_markers * 1.6 + dense.multistep_markers * 0.6 + dense.fill_in_blank * 1.5 + dense.detail_markers * 0.8,
  );
  score.qa = dense.questions > 0 || dense.wh_words > 0 || dense.choice_options > 0 ? 2 : 0;
  if (dense.choice_options > 0) score.qa += 0.5;
  if (R.greeting.test(instr) && instr.length < 200) score.chat = 3;
  if (text.assistantTurns > 0 && score.qa < 2.5) score.chat += 1;

  let best: TaskType = 'chat';
  let bestScore = -1;
  for (const task of ORDER) {
    if (score[task] > bestScore) {
      best = task;
      bestScore = score[task];
    }
  }
  return best;
}
