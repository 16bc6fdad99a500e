import { callMaxTokens, readOptions, throwIfAborted, withLastUserText, type DescribedTechnique } from './technique-kit.ts';

/** Re-reading (Xu et al. 2023): the question is stated twice in the last user message. One call. */
export const RE2_PREFIX = 'Read the question again: ';

export const re2: DescribedTechnique = {
  name: 're2',
  description: 'Re-reading: the question is repeated once in the prompt; one call.',
  options: {},
  bounds(request, options) {
    readOptions('re2', options, {});
    return { maxUpstreamRequests: 1, maxCompletionTokens: callMaxTokens(request) };
  },
  async run(ctx) {
    throwIfAborted(ctx);
    const messages = withLastUserText(ctx.request.messages, (q) => `${q}\n${RE2_PREFIX}${q}`);
    const r = await ctx.complete({ label: 're2', messages, max_tokens: callMaxTokens(ctx.request) });
    return { answer: r.texts[0] ?? '', finishReason: r.finishReasons[0] ?? 'stop' };
  },
};
