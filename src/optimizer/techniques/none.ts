import { callMaxTokens, readOptions, throwIfAborted, type DescribedTechnique } from './technique-kit.ts';

/** The plain call, through the same accounting as every technique: one request, the client's messages. */
export const none: DescribedTechnique = {
  name: 'none',
  description: 'One plain call with the client’s messages (the baseline).',
  options: {},
  bounds(request, options) {
    readOptions('none', options, {});
    const maxTokens = callMaxTokens(request);
    return { maxUpstreamRequests: 1, maxCompletionTokens: maxTokens };
  },
  async run(ctx) {
    throwIfAborted(ctx);
    const r = await ctx.complete({ label: 'none', messages: ctx.request.messages, max_tokens: callMaxTokens(ctx.request) });
    return { answer: r.texts[0] ?? '', finishReason: r.finishReasons[0] ?? 'stop' };
  },
};
