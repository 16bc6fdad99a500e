import { capText, type PromptText } from './prompt-text.ts';

/**
 * Named numeric features of a prompt. Counts go through log1p so a long prompt does not dominate a
 * linear model. Every regex runs on capped text (see prompt-text.ts), never on the full prompt.
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
] as const;
export type DenseFeatureName = (typeof DENSE_FEATURE_NAMES)[number];

const RE = {
  codeFence: /```/g,
  codeKeyword:
    /\b(def|return|class|import|function|const|let|var|void|public|static|elif|lambda|println|printf|struct|async|await|SELECT|FROM|WHERE|#include)\b|=>|\+\+|::/g,
  mathKeyword:
    /\b(solve|equation|integral|derivative|calculate|compute|probability|sum|product|remainder|divisible|prime|polynomial|matrix|vector|fraction|percent|ratio|how many|how much|area|volume|theorem|modulo|factor|log|sqrt)\b/gi,
  wh: /\b(what|why|how|which|who|whom|when|where|whose)\b/gi,
  reasoning:
    /\b(why|explain|because|analy[sz]e|analysis|reason|reasoning|justify|prove|proof|evaluate|compare|contrast|implications?|trade-?offs?|critically|assess|infer|deduce|argue|hypothes[ie]s|therefore|consequently)\b/gi,
  multistep:
    /\b(step[- ]by[- ]step|first(ly)?|second(ly)?|then|next|finally|afterwards|subsequently|steps|stages|phases|multi-?step)\b/gi,
  listItem: /^\s*(?:[-*•]|\d+[.)])\s+/gm,
  choiceOption: /^\s*\(?[A-Ha-h][).:]\s+\S/gm,
  heading: /^#{1,6}\s/gm,
  url: /https?:\/\/\S+/g,
  blank: /(?:^|\s)_{1,}(?:\s|[.,?!]|$)/g,
  constraint:
    /\b(must|should|at least|at most|no more than|exactly|without|do not|don't|never|always|only|ensure|make sure|format|json|bullet)\b/gi,
  detail: /\b(detailed|comprehensive|in-?depth|thorough(ly)?|elaborate|extensive(ly)?|rigorous(ly)?|exhaustive|nuanced|complex|advanced|sophisticated)\b/gi,
  brevity: /\b(brief(ly)?|short|concise(ly)?|simple|quick(ly)?|one sentence|one word|tl;?dr|in a nutshell|few words)\b/gi,
  creative: /\b(poem|story|stories|haiku|limerick|lyrics|song|sonnet|novel|fiction|screenplay|fairy tale|imagine|creative)\b/gi,
};

function count(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  re.lastIndex = 0;
  return n;
}

/** ASCII class table: bit 1 = code symbol ({ } ; < > [ ] ( ) = _), bit 2 = math symbol (+ - * / ^ = % < >). */
const ASCII_CLASS = new Uint8Array(128);
for (const c of '{};<>[]()=_') ASCII_CLASS[c.charCodeAt(0)]! |= 1;
for (const c of '+-*/^=%<>') ASCII_CLASS[c.charCodeAt(0)]! |= 2;

function charStats(text: string): { codeSym: number; mathSym: number; digits: number; nonAscii: number; letters: number } {
  let codeSym = 0;
  let mathSym = 0;
  let digits = 0;
  let nonAscii = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cls = c < 128 ? ASCII_CLASS[c]! : 0;
    if (cls & 1) codeSym++;
    if (cls & 2 || (c >= 0x2200 && c <= 0x22ff)) mathSym++;
    if (c >= 48 && c <= 57) digits++;
    else if (c > 127) nonAscii++;
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
  }
  return { codeSym, mathSym, digits, nonAscii, letters };
}

/** Estimated prompt tokens: about 4 characters per token in English, fewer for non-Latin scripts. */
export function estimateTokens(totalChars: number, totalWords: number, nonAsciiRatio: number): number {
  const byChars = totalChars / (4 - 2.5 * nonAsciiRatio);
  const byWords = totalWords * 1.3;
  return Math.max(1, Math.round(Math.max(byChars, byWords * 0.5 + byChars * 0.5)));
}

export function computeDenseFeatures(text: PromptText): { dense: Record<DenseFeatureName, number>; promptTokens: number } {
  // Regex features read at most 2 KB (instruction head + question tail): enough to see the markers,
  // and keeps the whole analysis far under the router's 200 µs budget at 2,000-token prompts.
  const whole = capText(text.lastUser, 1024, 1024);
  const focus = text.focus;
  const chars = Math.max(1, whole.length);
  const stats = charStats(whole);
  const nonAsciiRatio = stats.nonAscii / chars;
  const promptTokens = estimateTokens(text.totalChars, text.totalWords, nonAsciiRatio);
  let wordChars = 0;
  let words = 0;
  for (const w of focus.split(/\s+/)) {
    if (!w) continue;
    words++;
    wordChars += w.length;
  }
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
    code_fences: log(count(whole, RE.codeFence) / 2),
    code_symbol_density: stats.codeSym / chars,
    code_keywords: log(count(whole, RE.codeKeyword)),
    math_symbol_density: stats.mathSym / chars,
    math_keywords: log(count(focus, RE.mathKeyword)),
    digit_ratio: stats.digits / chars,
    questions: log(count(focus, /\?/g)),
    wh_words: log(count(focus, RE.wh)),
    reasoning_markers: log(count(whole, RE.reasoning)),
    multistep_markers: log(count(whole, RE.multistep)),
    list_items: log(count(whole, RE.listItem)),
    choice_options: log(count(focus, RE.choiceOption)),
    headings: log(count(whole, RE.heading)),
    urls: log(count(whole, RE.url)),
    non_ascii_ratio: nonAsciiRatio,
    avg_word_length: words > 0 ? Math.min(20, wordChars / words) / 10 : 0,
    fill_in_blank: log(count(focus, RE.blank)),
    constraint_markers: log(count(whole, RE.constraint)),
    detail_markers: log(count(whole, RE.detail)),
    brevity_markers: log(count(whole, RE.brevity)),
    creative_markers: log(count(whole, RE.creative)),
  };
  return { dense, promptTokens };
}
