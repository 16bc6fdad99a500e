import { callMaxTokens, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique } from './technique-kit.ts';

/**
 * LEAP (learning principles from mistakes, Zhang et al. 2024), in two calls: the model lists the
 * mistakes likely on this problem with a principle that avoids each, then answers with those
 * principles as a system note.
 */
export const PRINCIPLES_NOTE =
  "Do not answer the user's problem yet. List the mistakes someone is likely to make on it and, for each, one principle that avoids the mistake.";

export function principlesNote(principles: string): string {
  return `Answer the user, keeping these principles (learned from likely mistakes) in mind:\n${principles}`;
}

export const leap: DescribedTechnique = {
  name: 'leap',
  description: 'One call derives principles from likely mistakes, one call answers with them.',
  options: {},
  bounds(request, options) {
    readOptions('leap', options, {});
    return { maxUpstreamRequests: 2, maxCompletionTokens: 2 * callMaxTokens(request) };
  },
  async run(ctx) {
    const m = callMaxTokens(ctx.request);
    throwIfAborted(ctx);
    const principles = await ctx.complete({
      label: 'leap:principles',
      messages: withSystemNote(ctx.request.messages, PRINCIPLES_NOTE),
      temperature: 0.3,
      max_tokens: m,
    });
    throwIfAborted(ctx);
    const r = await ctx.complete({
      label: 'leap:answer',
      messages: withSystemNote(ctx.request.messages, principlesNote(principles.texts[0] ?? '')),
      max_tokens: m,
    });
    return { answer: r.texts[0] ?? '', finishReason: r.finishReasons[0] ?? 'stop' };
  },
};
