import { normalizeAnswer } from '../answer-normalize.ts';
import { callMaxTokens, numbered, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique } from './technique-kit.ts';

/**
 * Round-trip optimization: answer (1); describe, from the answer alone, the task it solves (2); answer
 * that description afresh (3). When both answers agree (normalized final answer) the first is
 * returned after three calls; otherwise a fourth call reconciles the two.
 */
export const DESCRIBE_PROMPT =
  'Here is a response. Write the task or question it answers, precisely enough that someone could produce the same response from your description alone. Reply with the task only.';

export function reconcileNote(a: string, b: string): string {
  return `Two independent attempts at the user's last message disagree. Work out which is right (or where both go wrong) and write the correct final response.\n\n${numbered([a, b], 'Attempt')}`;
}

export const rto: DescribedTechnique = {
  name: 'rto',
  description: 'Answer, describe the task from the answer, answer again; a fourth call reconciles disagreement.',
  options: {},
  bounds(request, options) {
    readOptions('rto', options, {});
    return { maxUpstreamRequests: 4, maxCompletionTokens: 4 * callMaxTokens(request) };
  },
  async run(ctx) {
    const m = callMaxTokens(ctx.request);
    const messages = ctx.request.messages;
    throwIfAborted(ctx);
    const first = await ctx.complete({ label: 'rto:answer', messages, temperature: 0.1, max_tokens: m });
    const a = first.texts[0] ?? '';
    throwIfAborted(ctx);
    const described = await ctx.complete({
      label: 'rto:describe',
      messages: [{ role: 'user', content: `${DESCRIBE_PROMPT}\n\nResponse:\n${a}` }],
      temperature: 0.1,
      max_tokens: m,
    });
    throwIfAborted(ctx);
    const second = await ctx.complete({
      label: 'rto:reanswer',
      messages: [{ role: 'user', content: described.texts[0] ?? '' }],
      temperature: 0.1,
      max_tokens: m,
    });
    const b = second.texts[0] ?? '';
    if (normalizeAnswer(a) === normalizeAnswer(b)) return { answer: a, finishReason: first.finishReasons[0] ?? 'stop' };
    throwIfAborted(ctx);
    const final = await ctx.complete({ label: 'rto:reconcile', messages: withSystemNote(messages, reconcileNote(a, b)), temperature: 0.1, max_tokens: m });
    return { answer: final.texts[0] ?? '', finishReason: final.finishReasons[0] ?? 'stop' };
  },
};
