import type { TaskType } from '../../config/schema.ts';
import { scanCjk, type CjkCounts } from './cjk-scan.ts';
import { KEYWORD_INDEX, LEXICON, scanSystemHead, type DenseFeatureName } from './dense-features.ts';
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
  'summarization',
  'coding',
  'extraction',
  'classification',
  'math',
  'creative_writing',
  'reasoning',
  'qa',
  'chat',
];

/** log1p(2): two or more code keywords. */
const CODE_PAGE = Math.log1p(2);

/** Types a multiple-choice block outranks (math keeps ties: a math question with options is math). */
const MC_CAPPED: readonly TaskType[] = ['translation', 'summarization', 'coding', 'extraction', 'classification', 'creative_writing', 'reasoning', 'chat'];

const GREETING = /^\s*(hi|hello|hey|thanks|thank you|good (morning|evening|afternoon)|how are you)\b/i;

// A minus needs spaces ("7 - 2"): unspaced it joins dates, phone numbers and ranges (2024-05-02, 5-10).
const EQUATION = /\d *[+*/^=] *\d|\d +- +\d|[a-z] *\^ *\d|\d *[a-z] *[-+=]/gi;

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

/** Scratch for the CJK keyword pass (the analyzer is synchronous). */
const cjkScratch: CjkCounts = { classes: new Int32Array(LEXICON.classCount), questionMarks: 0, cjkChars: 0 };
const NO_SYSTEM = new Int32Array(LEXICON.classCount);

function cjkCounts(instruction: string, markers: MarkerCounts): CjkCounts {
  cjkScratch.classes.fill(0);
  cjkScratch.questionMarks = 0;
  cjkScratch.cjkChars = 0;
  // Only text with non-Latin characters can hold a CJK keyword.
  return markers.nonAscii > 0 ? scanCjk(instruction, cjkScratch) : cjkScratch;
}

/**
 * `markers` are the keyword counts of the capped instruction text (first and last 512 characters of the
 * last user turn) from computeDenseFeatures; `instruction` is that text (equations, greetings and the
 * CJK keywords read it).
 */
export function classifyTaskType(text: PromptText, dense: Readonly<Record<DenseFeatureName, number>>, markers: MarkerCounts, instruction: string): TaskType {
  const score = taskTypeScores(text, dense, markers, instruction);
  let best: TaskType = 'chat';
  let bestScore = -1;
  for (const task of ORDER) {
    const taskScore = scoreOf(score, task);
    if (taskScore > bestScore) {
      best = task;
      bestScore = taskScore;
    }
  }
  return best;
}

/** `score[task]` as a field load per type: a loop of keyed reads over ten names is a megamorphic lookup each. */
function scoreOf(score: Readonly<Record<TaskType, number>>, task: TaskType): number {
  switch (task) {
    case 'translation':
      return score.translation;
    case 'summarization':
      return score.summarization;
    case 'coding':
      return score.coding;
    case 'extraction':
      return score.extraction;
    case 'classification':
      return score.classification;
    case 'math':
      return score.math;
    case 'creative_writing':
      return score.creative_writing;
    case 'reasoning':
      return score.reasoning;
    case 'qa':
      return score.qa;
    case 'chat':
      return score.chat;
  }
}

/** Points per task type (the classifier picks the highest; ties go to the earlier type in ORDER). */
function taskTypeScores(
  text: PromptText,
  dense: Readonly<Record<DenseFeatureName, number>>,
  markers: MarkerCounts,
  instruction: string,
): Record<TaskType, number> {
  const K = KEYWORD_INDEX;
  const cjk = cjkCounts(instruction, markers);
  const system = text.systemRole.length > 0 ? scanSystemHead(text.systemRole).classes : NO_SYSTEM;
  // By class index, read as a named constant at each call (a class name passed in would make the lookup
  // one megamorphic keyed load shared by every call).
  const hits = (k: number) => markers.classes[k]! + cjk.classes[k]!;
  const sys = (k: number) => system[k]!;
  const question = dense.questions > 0 || cjk.questionMarks > 0;
  // Text given to work on: set apart by a blank line, or long (a word problem is one paragraph).
  const pasted = text.blockCount >= 2 || text.lastUserChars > 800;
  // An agent's system prompt that names a text task ("You are a moderation classifier…") decides the
  // type of every user turn behind it, however conversational that turn reads.
  const systemTask = sys(K.translate) + sys(K.summarize) + sys(K.extract) + sys(K.classify) > 0;
  const score: Record<TaskType, number> = {
    translation: 3 * Math.min(2, hits(K.translate)) + (sys(K.translate) > 0 ? 3.5 : 0),
    coding: 0,
    summarization: 3 * Math.min(2, hits(K.summarize)) + (sys(K.summarize) > 0 ? 3.5 : 0),
    extraction: 3 * Math.min(2, hits(K.extract)) + (sys(K.extract) > 0 ? 3.5 : 0) + (sys(K.structured) > 0 ? 1.5 : 0),
    classification: 3 * Math.min(2, hits(K.classify)) + Math.min(2.5, 0.75 * hits(K.labelSet)) + (sys(K.classify) > 0 ? 3.5 : sys(K.labelSet) > 0 ? 1.5 : 0),
    math: 0,
    creative_writing: 0,
    reasoning: 0,
    qa: 0,
    chat: 0.5,
  };
  const codeNouns = hits(K.codeNoun);
  score.coding =
    (dense.code_fences > 0 ? 4 : 0) +
    (codeNouns > 0 && (hits(K.codeVerb) > 0 || question) ? 3 : codeNouns > 1 ? 1.5 : codeNouns * 1) +
    Math.min(3, dense.code_keywords * 1.2 + dense.code_symbol_density * 20) +
    (sys(K.codeNoun) > 0 ? 2.5 : 0) +
    // Several code keywords ("def", "return", "=>") mean code is on the page, docstring numbers or not.
    (dense.code_keywords >= CODE_PAGE ? 1.5 : 0);
  if (hits(K.structured) > 0 && pasted && codeNouns === 0) score.extraction += 1.5;
  const mathWords = hits(K.mathTask);
  const equations = markers.digits > 0 ? equationHits(instruction) : 0;
  // Word-problem vocabulary next to numbers; a pasted text's numbers are data, not a problem to solve.
  const cues = markers.digits > 0 && !pasted && !systemTask && dense.code_keywords < CODE_PAGE ? hits(K.mathCue) : 0;
  const wordProblem = cues > 0 ? Math.min(2, cues) + (markers.digits >= 2 ? 1.2 : 0) : 0;
  score.math = Math.min(
    4,
    (mathWords > 0 ? 2 + 0.5 * mathWords : 0) + equations * 1 + dense.math_symbol_density * 30 + (dense.digit_ratio > 0.05 ? 1 : 0) + wordProblem,
  );
  // Without a math verb or an equation, numbers alone are weak evidence; several word-problem words
  // around them ("how many", "twice", "each") outweigh a stray "write" or "story".
  if (mathWords === 0 && equations === 0) score.math = Math.min(score.math, cues >= 2 ? 3.2 : 2.2);
  const creative = hits(K.writeNoun) + dense.creative_markers;
  score.creative_writing = (creative > 0 && hits(K.writeVerb) > 0 ? 3 : creative > 1 ? 1.5 : 0) + (hits(K.brainstorm) > 0 ? 3 : 0);
  score.reasoning = Math.min(
    4,
    Math.min(3, dense.reasoning_markers * 1.6 + dense.multistep_markers * 0.6 + dense.fill_in_blank * 1.5 + dense.detail_markers * 0.8) +
      2.1 * hits(K.reasonTask),
  );
  score.qa = question || dense.wh_words > 0 || hits(K.qaCue) > 0 || dense.choice_options > 0 ? 2 : 0;
  if (dense.choice_options > 0) score.qa += 0.5;
  // A full multiple-choice block (≥ 3 options) without code fences is a knowledge question whatever its
  // subject words say ("which algorithm…", "explain why…"): models' success on it behaves like qa, not
  // like writing code or open reasoning. Math keeps its own type (ties go to math).
  if (dense.choice_options >= Math.log1p(3) && dense.code_fences === 0) {
    score.qa = Math.max(score.qa, 4);
    for (const task of MC_CAPPED) score[task] = Math.min(score[task], 3.5);
    // …unless the options are items to label ("for each one, tell me if…").
    if (hits(K.classify) >= 2) score.classification = 6;
  }
  if (instruction.length < 200 && GREETING.test(instruction) && !systemTask) score.chat = 3;
  // Greetings and feelings inside a pasted email or an agent's task are not the user chatting.
  const chatWeight = pasted || systemTask || text.lastUserChars > 300 ? 0.5 : 1;
  score.chat += chatWeight * Math.min(2.5, 1.6 * hits(K.chatCue) + 0.4 * hits(K.firstPerson));
  // A short turn deep in a conversation is usually the conversation going on, even as a question.
  if (text.assistantTurns > 0 && score.qa < 2.5) score.chat += text.lastUserChars < 120 ? 1.6 : 1;
  return score;
}
