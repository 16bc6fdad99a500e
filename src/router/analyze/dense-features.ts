import { buildLexicon, emptyCounts, scanMarkers, type MarkerCounts } from './marker-scan.ts';
import { TASK_KEYWORD_CLASSES } from './task-lexicon.ts';
import { instructionText, type PromptText } from './prompt-text.ts';

/**
 * Named numeric features of a prompt. Counts go through log1p so a long prompt does not dominate a
 * linear model. Markers come from one scan of capped text (see prompt-text.ts, marker-scan.ts), never
 * from the full prompt.
 */
export const DENSE_FEATURE_NAMES = [
  'log_prompt_tokens',
  'log_focus_chars',
  'log_last_user_chars',
  'user_turns',
  'assistant_turns',
  'has_system',
  'has_tool_messages',
  'log_blocks',
  'code_fences',
  'code_symbol_density',
  'code_keywords',
  'math_symbol_density',
  'math_keywords',
  'digit_ratio',
  'questions',
  'wh_words',
  'reasoning_markers',
  'multistep_markers',
  'list_items',
  'choice_options',
  'headings',
  'urls',
  'non_ascii_ratio',
  'avg_word_length',
  'fill_in_blank',
  'constraint_markers',
  'detail_markers',
  'brevity_markers',
  'creative_markers',
  'negation_markers',
  'option_aggregate',
  'log_option_chars',
  'numeric_option_share',
  'log_focus_words',
] as const;
export type DenseFeatureName = (typeof DENSE_FEATURE_NAMES)[number];

/** Keyword classes of the one-pass scanner (marker-scan.ts): the dense features' and the task-type rules' (task-lexicon.ts). */
export const KEYWORD_CLASSES = {
  math: [
    'solve',
    'equation',
    'integral',
    'derivative',
    'calculate',
    'compute',
    'probability',
    'sum',
    'product',
    'remainder',
    'divisible',
    'prime',
    'polynomial',
    'matrix',
    'vector',
    'fraction',
    'percent',
    'ratio',
    'how many',
    'how much',
    'area',
    'volume',
    'theorem',
    'modulo',
    'factor',
    'log',
    'sqrt',
  ],
  wh: ['what', 'why', 'how', 'which', 'who', 'whom', 'when', 'where', 'whose'],
  reasoning: [
    'why',
    'explain',
    'because',
    'analyze',
    'analyse',
    'analysis',
    'reason',
    'reasoning',
    'justify',
    'prove',
    'proof',
    'evaluate',
    'compare',
    'contrast',
    'implication',
    'implications',
    'trade off',
    'trade offs',
    'tradeoff',
    'tradeoffs',
    'critically',
    'assess',
    'infer',
    'deduce',
    'argue',
    'hypothesis',
    'hypotheses',
    'therefore',
    'consequently',
  ],
  multistep: [
    'step by step',
    'first',
    'firstly',
    'second',
    'secondly',
    'then',
    'next',
    'finally',
    'afterwards',
    'subsequently',
    'steps',
    'stages',
    'phases',
    'multi step',
    'multistep',
  ],
  constraint: [
    'must',
    'should',
    'at least',
    'at most',
    'no more than',
    'exactly',
    'without',
    'do not',
    'don t',
    'never',
    'always',
    'only',
    'ensure',
    'make sure',
    'format',
    'json',
    'bullet',
  ],
  detail: [
    'detailed',
    'comprehensive',
    'in depth',
    'indepth',
    'thorough',
    'thoroughly',
    'elaborate',
    'extensive',
    'extensively',
    'rigorous',
    'rigorously',
    'exhaustive',
    'nuanced',
    'complex',
    'advanced',
    'sophisticated',
  ],
  brevity: [
    'brief',
    'briefly',
    'short',
    'concise',
    'concisely',
    'simple',
    'quick',
    'quickly',
    'one sentence',
    'one word',
    'tl dr',
    'tldr',
    'in a nutshell',
    'few words',
  ],
  // Overlaps task-lexicon's creative words on purpose, kept apart: the shipped predictor's features were fitted on this exact list, the classifier's list is tuned separately.
  creative: [
    'poem',
    'story',
    'stories',
    'haiku',
    'limerick',
    'lyrics',
    'song',
    'sonnet',
    'novel',
    'fiction',
    'screenplay',
    'fairy tale',
    'imagine',
    'creative',
    'slogan',
    'joke',
  ],
  /** Questions that ask for the exception or the false statement are harder to get right. */
  negation: ['not', 'except', 'least', 'false', 'incorrect', 'untrue', 'cannot', 'never'],
  optionAggregate: ['of the above', 'all of these', 'none of these', 'both a and'],
  ...TASK_KEYWORD_CLASSES,
} as const satisfies Record<string, readonly string[]>;
export type KeywordClass = keyof typeof KEYWORD_CLASSES;
const CLASS_NAMES = Object.keys(KEYWORD_CLASSES) as KeywordClass[];
export const KEYWORD_INDEX = Object.fromEntries(CLASS_NAMES.map((name, i) => [name, i])) as Record<KeywordClass, number>;
export const LEXICON = buildLexicon(CLASS_NAMES.map((name) => KEYWORD_CLASSES[name]));

/** Scratch counts reused across calls (the analyzer is synchronous); callers read them before the next call. */
const wholeScratch = emptyCounts(LEXICON.classCount);
const focusScratch = emptyCounts(LEXICON.classCount);

function resetCounts(c: MarkerCounts): MarkerCounts {
  c.classes.fill(0);
  c.codeKeywords = c.codeFences = c.questionMarks = c.listItems = c.choiceOptions = c.choiceChars = c.choiceNumeric = 0;
  c.headings = c.urls = c.blanks = c.words = c.wordChars = c.codeSymbols = c.mathSymbols = 0;
  c.digits = c.nonAscii = c.letters = c.wordHashCount = 0;
  return c;
}

/** Estimated prompt tokens: about 4 characters per token in English, fewer for non-Latin scripts. */
export function estimateTokens(totalChars: number, totalWords: number, nonAsciiRatio: number): number {
  const byChars = totalChars / (4 - 2.5 * nonAsciiRatio);
  const byWords = totalWords * 1.3;
  return Math.max(1, Math.round(Math.max(byChars, byWords * 0.5 + byChars * 0.5)));
}

export interface DenseResult {
  dense: Record<DenseFeatureName, number>;
  promptTokens: number;
  /** Marker counts over the capped whole text (valid until the next call). */
  markers: MarkerCounts;
}

export function computeDenseFeatures(text: PromptText, whole = instructionText(text)): DenseResult {
  // Markers read at most 1 KB (instruction head + question tail) in one pass, plus one pass over the
  // ≤ 768-character focus: enough to see the markers, and keeps analysis far under the router's budget.
  const focus = text.focus;
  const w = scanMarkers(whole, LEXICON, resetCounts(wholeScratch));
  const f = scanMarkers(focus, LEXICON, resetCounts(focusScratch));
  const chars = Math.max(1, whole.length);
  const nonAsciiRatio = w.nonAscii / chars;
  const promptTokens = estimateTokens(text.totalChars, text.totalWords, nonAsciiRatio);
  const K = KEYWORD_INDEX;
  const log = Math.log1p;
  const dense: Record<DenseFeatureName, number> = {
    log_prompt_tokens: log(promptTokens),
    log_focus_chars: log(focus.length),
    log_last_user_chars: log(text.lastUserChars),
    user_turns: log(text.userTurns),
    assistant_turns: log(text.assistantTurns),
    has_system: text.hasSystem ? 1 : 0,
    has_tool_messages: text.hasToolMessages ? 1 : 0,
    log_blocks: log(text.blockCount),
    code_fences: log(w.codeFences / 2),
    code_symbol_density: w.codeSymbols / chars,
    code_keywords: log(w.codeKeywords),
    math_symbol_density: w.mathSymbols / chars,
    math_keywords: log(f.classes[K.math]!),
    digit_ratio: w.digits / chars,
    questions: log(f.questionMarks),
    wh_words: log(f.classes[K.wh]!),
    reasoning_markers: log(w.classes[K.reasoning]!),
    multistep_markers: log(w.classes[K.multistep]!),
    list_items: log(w.listItems),
    choice_options: log(f.choiceOptions),
    headings: log(w.headings),
    urls: log(w.urls),
    non_ascii_ratio: nonAsciiRatio,
    avg_word_length: f.words > 0 ? Math.min(20, f.wordChars / f.words) / 10 : 0,
    fill_in_blank: log(f.blanks),
    constraint_markers: log(w.classes[K.constraint]!),
    detail_markers: log(w.classes[K.detail]!),
    brevity_markers: log(w.classes[K.brevity]!),
    creative_markers: log(w.classes[K.creative]!),
    negation_markers: log(f.classes[K.negation]!),
    option_aggregate: f.classes[K.optionAggregate]! > 0 ? 1 : 0,
    log_option_chars: f.choiceOptions > 0 ? log(f.choiceChars / f.choiceOptions) : 0,
    numeric_option_share: f.choiceOptions > 0 ? f.choiceNumeric / f.choiceOptions : 0,
    log_focus_words: log(f.words),
  };
  return { dense, promptTokens, markers: w };
}

const systemScratch = emptyCounts(LEXICON.classCount);

/** Keyword counts of a system prompt's head, for the task rules (valid until the next call). */
export function scanSystemHead(systemHead: string): MarkerCounts {
  return scanMarkers(systemHead, LEXICON, resetCounts(systemScratch));
}

/**
 * out[j] = dense[names[j]] ?? 0. The analyzer's dense object holds its features in DENSE_FEATURE_NAMES
 * order, which is what a layout or a learning row lists: walked with for-in while the keys follow
 * `names`, each read is a field load, where reading `dense[name]` name by name is a megamorphic keyed
 * lookup per feature (~8k instructions for 34 names). From the first key out of order on, the read by name.
 */
export function readDenseValues(dense: Readonly<Record<string, number>>, names: readonly string[], out: Float64Array | Float32Array): void {
  let j = 0;
  for (const name in dense) {
    if (j === names.length || name !== names[j]) break;
    out[j] = dense[name] ?? 0;
    j++;
  }
  for (; j < names.length; j++) out[j] = dense[names[j]!] ?? 0;
}
