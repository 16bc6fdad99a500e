import type { ChatMessage } from '../../providers/chat-schema.ts';
import type { Complete } from '../types.ts';
import { numbered, transcript } from './technique-kit.ts';

/**
 * One rating call for several candidate answers (bon, pvg, mcts, the `a|b` pick): the model scores
 * each candidate 0–10 on its own line. OptiLLM spends one call per candidate; one call sees them side
 * by side, which is cheaper and lets the rater compare.
 */

/** Tokens a rating call may use: a short line per candidate plus a little slack. */
export function ratingMaxTokens(candidates: number): number {
  return 16 * candidates + 32;
}

export function ratingPrompt(conversation: readonly ChatMessage[], candidates: readonly string[]): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You grade answers. Score each candidate answer to the conversation from 0 (wrong or useless) to 10 (correct and complete). ' +
        'Reply with exactly one line per candidate, in the form "Candidate <number>: <score>", and nothing else.',
    },
    { role: 'user', content: `Conversation:\n${transcript(conversation)}\n\n${numbered(candidates)}` },
  ];
}

/** Scores by candidate from the rater's text; a candidate the rater did not score gets 0. */
export function parseScores(text: string, candidates: number): number[] {
  const scores = new Array<number>(candidates).fill(0);
  for (const m of text.matchAll(/candidate\s*#?\s*(\d+)\s*[:=\-–]\s*(\d+(?:\.\d+)?)/gi)) {
    const i = Number(m[1]) - 1;
    if (i >= 0 && i < candidates) scores[i] = Math.min(10, Number(m[2]));
  }
  return scores;
}

/** Index of the highest score; the earliest wins ties (so an unparseable rating keeps candidate 1). */
export function bestIndex(scores: readonly number[]): number {
  let best = 0;
  scores.forEach((s, i) => {
    if (s > scores[best]!) best = i;
  });
  return best;
}

export async function rateCandidates(
  complete: Complete,
  conversation: readonly ChatMessage[],
  candidates: readonly string[],
  label: string,
): Promise<number[]> {
  const result = await complete({
    label,
    messages: ratingPrompt(conversation, candidates),
    temperature: 0,
    max_tokens: ratingMaxTokens(candidates.length),
  });
  return parseScores(result.texts[0] ?? '', candidates.length);
}
