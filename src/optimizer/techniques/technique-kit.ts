import type { ChatMessage, ChatRequest } from '../../providers/chat-schema.ts';
import { normalizeAnswer } from '../answer-normalize.ts';
import type { Technique, TechniqueContext } from '../types.ts';

/** Shared pieces of the techniques: option checking, per-call token caps, message edits, voting. */

/** Each call's `max_tokens` when the client set none: techniques always send one, so their bounds hold. */
export const DEFAULT_CALL_MAX_TOKENS = 2048;

/** A technique option outside its range, or one no technique in the spec knows. Maps to a 400. */
export class TechniqueOptionError extends Error {
  override readonly name = 'TechniqueOptionError';
  constructor(
    message: string,
    readonly option: string,
  ) {
    super(message);
  }
}

/** The technique ran out of its stated budget or the client left. */
export class TechniqueAbortedError extends Error {
  override readonly name = 'TechniqueAbortedError';
}

export interface OptionSpec {
  min: number;
  max: number;
  default: number;
  integer: boolean;
  description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The technique's options with defaults filled in; a value out of range throws naming the option and its range. */
export function readOptions(technique: string, options: Readonly<Record<string, number>>, specs: OptionSpecs): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = options[name] ?? spec.default;
    const kind = spec.integer ? 'an integer' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
      throw new TechniqueOptionError(
        `Option '${name}' of technique '${technique}' must be ${kind} from ${spec.min} to ${spec.max} (${spec.description}); got ${String(value)}.`,
        name,
      );
    }
    out[name] = value;
  }
  return out;
}

/** The client's own cap on one answer, else DEFAULT_CALL_MAX_TOKENS. */
export function callMaxTokens(request: ChatRequest): number {
  return request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_CALL_MAX_TOKENS;
}

export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
}

function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return i;
  return -1;
}

/** The messages with the last user message's text rewritten (images and other parts are dropped from it). */
export function withLastUserText(messages: readonly ChatMessage[], rewrite: (text: string) => string): ChatMessage[] {
  const i = lastUserIndex(messages);
  if (i === -1) return [...messages, { role: 'user', content: rewrite('') }];
  return messages.map((m, j) => (j === i ? { ...m, content: rewrite(textOf(m.content)) } : m));
}

/**
 * The messages with an extra system message after the leading system messages. The client's question
 * stays the last user message, so the upstream still answers it; the note is guidance or context.
 */
export function withSystemNote(messages: readonly ChatMessage[], note: string): ChatMessage[] {
  let at = 0;
  while (at < messages.length && (messages[at]!.role === 'system' || messages[at]!.role === 'developer')) at++;
  return [...messages.slice(0, at), { role: 'system', content: note }, ...messages.slice(at)];
}

/** The conversation as plain text, for steps that quote it to the model. */
export function transcript(messages: readonly ChatMessage[]): string {
  return messages
    .filter((m) => m.role !== 'system' && m.role !== 'developer')
    .map((m) => `${m.role}: ${textOf(m.content)}`)
    .join('\n');
}

export function throwIfAborted(ctx: Pick<TechniqueContext, 'signal'>): void {
  if (ctx.signal?.aborted) throw new TechniqueAbortedError('The technique stopped: the client went away.');
}

export interface Vote {
  /** Index of the first response carrying the winning answer. */
  index: number;
  answer: string;
  votes: number;
  /** True when another answer had as many votes (the earliest one won). */
  tied: boolean;
}

/** Plurality over the normalized final answers; a tie goes to the answer seen first. */
export function voteByAnswer(texts: readonly string[]): Vote {
  const counts = new Map<string, { votes: number; first: number }>();
  texts.forEach((t, i) => {
    const key = normalizeAnswer(t);
    const entry = counts.get(key);
    if (entry) entry.votes++;
    else counts.set(key, { votes: 1, first: i });
  });
  let best: Vote = { index: 0, answer: '', votes: 0, tied: false };
  for (const [answer, { votes, first }] of counts) {
    if (votes > best.votes) best = { index: first, answer, votes, tied: false };
    else if (votes === best.votes) best.tied = true;
  }
  return best;
}

/**
 * Every sample's index, ordered for handing out as choices: the first sample of each distinct
 * normalized answer by votes (ties: the answer seen first), then the remaining samples in the same
 * order. Its head is `voteByAnswer`'s winner; the first n entries are the client's n choices.
 */
export function rankSamples(texts: readonly string[]): number[] {
  const groups = new Map<string, number[]>();
  texts.forEach((t, i) => {
    const key = normalizeAnswer(t);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  // A stable sort keeps first-seen order among answers with as many votes.
  const ranked = [...groups.values()].sort((a, b) => b.length - a.length);
  return [...ranked.map((g) => g[0]!), ...ranked.flatMap((g) => g.slice(1))];
}

/** Numbered candidates for prompts that show several responses to the model. */
export function numbered(candidates: readonly string[], word = 'Candidate'): string {
  return candidates.map((c, i) => `${word} ${i + 1}:\n${c}`).join('\n\n');
}

/** A technique with its options declared, so a spec can reject options none of its techniques knows. */
export interface DescribedTechnique extends Technique {
  readonly options: OptionSpecs;
}
