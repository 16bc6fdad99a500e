import type { ChatMessage } from '../../providers/chat-schema.ts';

/**
 * The parts of a conversation the analyzer reads. Everything is capped so analysis cost does not grow
 * with prompt length: the hot path must stay in microseconds even for 100k-character prompts.
 */
export interface PromptText {
  /** Last user turn, capped to its first HEAD_CHARS and last TAIL_CHARS. */
  lastUser: string;
  /**
   * The last paragraph block of the last user turn (after the final blank line), or the whole turn when
   * that block is tiny. Few-shot prompts put the real question last, so this is what the model must answer.
   */
  focus: string;
  /** Total characters over every message (uncapped count, used for token estimates). */
  totalChars: number;
  /** Characters of the last user turn (uncapped). */
  lastUserChars: number;
  /** Whitespace-separated word count estimate over every message. */
  totalWords: number;
  userTurns: number;
  assistantTurns: number;
  messageCount: number;
  hasSystem: boolean;
  /**
   * The first sentence (at most SYSTEM_ROLE_CHARS) of the first system or developer message: where an
   * agent's prompt states its role ("You are a moderation classifier."); tool lists and policies follow.
   */
  systemRole: string;
  hasToolMessages: boolean;
  /** Blank-line-separated blocks in the last user turn (capped text). */
  blockCount: number;
}

export const HEAD_CHARS = 1024;
export const TAIL_CHARS = 2048;
/**
 * The instruction text the marker scan, task rules and context hashing read: head and tail of the last
 * user turn. 512 + 512 characters keep the instruction and the question while halving the scan of the
 * earlier 1 KB + 1 KB (measured: the same cross-validated quality, see docs/router.md).
 */
export const INSTRUCTION_HEAD_CHARS = 512;
export const INSTRUCTION_TAIL_CHARS = 512;

export function instructionText(text: Pick<PromptText, 'lastUser'>): string {
  return capText(text.lastUser, INSTRUCTION_HEAD_CHARS, INSTRUCTION_TAIL_CHARS);
}
const SYSTEM_ROLE_CHARS = 200;
const FOCUS_MAX_CHARS = 768;
const FOCUS_MIN_CHARS = 24;

export function contentText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (part.type === 'text' && typeof (part as { text?: unknown }).text === 'string') {
      text += (text ? '\n' : '') + (part as { text: string }).text;
    }
  }
  return text;
}

export function capText(text: string, headChars = HEAD_CHARS, tailChars = TAIL_CHARS): string {
  if (text.length <= headChars + tailChars) return text;
  return `${text.slice(0, headChars)}\n\n${text.slice(text.length - tailChars)}`;
}

/** Rough word count of the first `limit` characters, without allocating an array of words or a slice. */
function countWords(text: string, limit: number): number {
  let words = 0;
  let inWord = false;
  const n = Math.min(text.length, limit);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Words are counted on this many characters per message and extrapolated: huge pastes stay cheap. */
const WORD_SAMPLE_CHARS = 1024;

function lastBlock(text: string): { focus: string; blocks: number } {
  let blocks = 1;
  let idx = text.indexOf('\n\n');
  while (idx !== -1) {
    blocks++;
    idx = text.indexOf('\n\n', idx + 2);
  }
  const trimmed = text.trimEnd();
  const cut = trimmed.lastIndexOf('\n\n');
  let focus = cut === -1 ? trimmed : trimmed.slice(cut + 2);
  if (focus.trim().length < FOCUS_MIN_CHARS) focus = trimmed;
  if (focus.length > FOCUS_MAX_CHARS) focus = focus.slice(focus.length - FOCUS_MAX_CHARS);
  return { focus, blocks };
}

/** Up to the first sentence end (". ", "。", a line break) within SYSTEM_ROLE_CHARS. */
function firstSentence(text: string): string {
  const n = Math.min(text.length, SYSTEM_ROLE_CHARS);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 0x3002 || (c === 46 && (i + 1 >= text.length || text.charCodeAt(i + 1) === 32))) return text.slice(0, i + 1);
  }
  return text.slice(0, n);
}

export function extractPromptText(messages: readonly ChatMessage[]): PromptText {
  let totalChars = 0;
  let totalWords = 0;
  let userTurns = 0;
  let assistantTurns = 0;
  let hasSystem = false;
  let systemRole = '';
  let hasToolMessages = false;
  let lastUserRaw = '';
  for (const message of messages) {
    const text = contentText(message);
    totalChars += text.length;
    const sampleWords = countWords(text, WORD_SAMPLE_CHARS);
    totalWords += text.length <= WORD_SAMPLE_CHARS ? sampleWords : Math.round((sampleWords * text.length) / WORD_SAMPLE_CHARS);
    if (message.role === 'user') {
      userTurns++;
      lastUserRaw = text;
    } else if (message.role === 'assistant') assistantTurns++;
    else if (message.role === 'system' || message.role === 'developer') {
      if (!hasSystem) systemRole = firstSentence(text);
      hasSystem = true;
    } else hasToolMessages = true;
  }
  if (userTurns === 0 && messages.length > 0) lastUserRaw = contentText(messages[messages.length - 1]!);
  const lastUser = capText(lastUserRaw);
  const { focus, blocks } = lastBlock(lastUser);
  return {
    lastUser,
    focus,
    totalChars,
    lastUserChars: lastUserRaw.length,
    totalWords,
    userTurns,
    assistantTurns,
    messageCount: messages.length,
    hasSystem,
    systemRole,
    hasToolMessages,
    blockCount: blocks,
  };
}
