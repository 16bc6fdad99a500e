import type { TaskType } from '../../config/schema.ts';
import { KEYWORD_INDEX, type DenseFeatureName, type KeywordClass } from './dense-features.ts';
import type { MarkerCounts } from './marker-scan.ts';
import type { PromptText } from './prompt-text.ts';

/**
 * Task type from keyword and structure rules, scored rather than first-match so that "write a Python
 * function that sums a list" is coding (code verbs + code nouns) and not creative writing (write).
 *
 * Rules (points, summed per task type over the instruction text = first and last 1,024 characters
 * of the last user turn, keyword counts from the one-pass marker scan):
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
 * - qa: a question (question mark, wh-word) or multiple-choice options (2); a block of ≥ 3 options
 *   without code fences scores 4 and caps coding at 3.5
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

const GREETING = /^\s*(hi|hello|hey|thanks|thank you|good (morning|evening|afternoon)|how are you)\b/i;

const EQUATION = /\d\s*[-+*/^=]\s*\d|[a-z]\s*\^\s*\d|\d\s*[a-z]\s*[-+=]/gi;

/**
 * Equation-like spans, at most 8: "3 + 4" (digit, operator, digit), "x^2" and "2x =". Every form needs a
 * digit, so callers skip texts without one. (A hand-written scanner measured 2× slower than this regex.)
 */
export function equationHits(text: string): number {
  EQUATION.lastIndex = 0;
  let n = 0;
  while (n < 8 && EQUATION.exec(text) !== null) n++;
  EQUATION.lastIndex = 0;
  return n;
}

/**
 * `markers` are the keyword counts of the capped instruction text (first and last KB of the last user
 * turn) from computeDenseFeatures; `instruction` is that text (equations and greetings read it).
 */
export function classifyTaskType(
  text: PromptText,
  dense: Readonly<Record<DenseFeatureName, number>>,
  markers: MarkerCounts,
  instruction: string,
): TaskType {
  const k = markers.classes;
  const hits = (c: KeywordClass) => k[KEYWORD_INDEX[c]]!;
  const score: Record<TaskType, number> = {
    translation: 3 * Math.min(2, hits('translate')),
    coding: 0,
    summarization: 3 * Math.min(2, hits('summarize')),
    extraction: 3 * Math.min(2, hits('extract')),
    classification: 3 * Math.min(2, hits('classify')),
    math: 0,
    creative_writing: 0,
    reasoning: 0,
    qa: 0,
    chat: 0.5,
  };
  const codeNouns = hits('codeNoun');
  score.coding =
    (dense.code_fences > 0 ? 4 : 0) +
    (codeNouns > 0 && hits('codeVerb') > 0 ? 3 : codeNouns > 1 ? 1.5 : 0) +
    Math.min(3, dense.code_keywords * 1.2 + dense.code_symbol_density * 20);
  const mathWords = hits('mathTask');
  const equations = markers.digits > 0 ? equationHits(instruction) : 0;
  score.math = Math.min(4, mathWords * 1.5 + equations * 1 + dense.math_symbol_density * 30 + (dense.digit_ratio > 0.05 ? 1 : 0));
  if (mathWords === 0 && equations === 0) score.math = Math.min(score.math, 1.5);
  const creative = hits('creative');
  score.creative_writing = creative > 0 && hits('writeVerb') > 0 ? 3 + Math.min(1, creative - 1) : creative > 1 ? 1.5 : 0;
  score.reasoning = Math.min(
    3,
    dense.reasoning_markers * 1.6 + dense.multistep_markers * 0.6 + dense.fill_in_blank * 1.5 + dense.detail_markers * 0.8,
  );
  score.qa = dense.questions > 0 || dense.wh_words > 0 || dense.choice_options > 0 ? 2 : 0;
  if (dense.choice_options > 0) score.qa += 0.5;
  // A full multiple-choice block (≥ 3 options) without code fences is a knowledge question whatever its
  // subject words say ("which algorithm…", "explain why…"): models' success on it behaves like qa, not
  // like writing code or open reasoning. Math keeps its own type (ties go to math).
  if (dense.choice_options >= Math.log1p(3) && dense.code_fences === 0) {
    score.qa = Math.max(score.qa, 4);
    score.coding = Math.min(score.coding, 3.5);
  }
  if (instruction.length < 200 && GREETING.test(instruction)) score.chat = 3;
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
