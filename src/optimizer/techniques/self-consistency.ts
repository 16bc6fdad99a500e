import { callMaxTokens, rankSamples, readOptions, throwIfAborted, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * Self-consistency (Wang et al. 2022): k samples of the client's own prompt in ONE call with n = k
 * (the gateway serves it with the upstream's n or k parallel requests); the plurality of the
 * normalized final answers wins and the first sample carrying it is returned whole. The other samples,
 * ranked the same way, are its alternatives (a client's n > 1 costs no extra call).
 */
export const SELF_CONSISTENCY_OPTIONS: OptionSpecs = {
  k: { min: 2, max: 32, default: 5, integer: true, description: 'samples voted over' },
  temperature: { min: 0.1, max: 2, default: 0.7, integer: false, description: 'sampling temperature of the k samples' },
};

export const selfConsistency: DescribedTechnique = {
  name: 'self_consistency',
  description: 'k samples in one n=k call; the majority normalized final answer wins.',
  options: SELF_CONSISTENCY_OPTIONS,
  bounds(request, options) {
    const { k } = readOptions('self_consistency', options, SELF_CONSISTENCY_OPTIONS);
    return { maxUpstreamRequests: k!, maxCompletionTokens: k! * callMaxTokens(request) };
  },
  /** A client's n > 1 gets the top n of the ranked samples: other answers by votes, then more samples. */
  maxChoices(options) {
    return readOptions('self_consistency', options, SELF_CONSISTENCY_OPTIONS).k!;
  },
  async run(ctx) {
    const { k, temperature } = readOptions('self_consistency', ctx.options, SELF_CONSISTENCY_OPTIONS);
    throwIfAborted(ctx);
    const r = await ctx.complete({
      label: 'self_consistency:sample',
      messages: ctx.request.messages,
      n: k!,
      temperature: temperature!,
      max_tokens: callMaxTokens(ctx.request),
    });
    const [best, ...alternatives] = rankSamples(r.texts).map((i) => ({ answer: r.texts[i] ?? '', finishReason: r.finishReasons[i] ?? 'stop' }));
    return { ...best!, alternatives };
  },
};
