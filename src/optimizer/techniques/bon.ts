import { bestIndex, rateCandidates, ratingMaxTokens } from './rate-candidates.ts';
import { callMaxTokens, readOptions, throwIfAborted, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * Best of n: n samples in one n-choice call, then ONE rating call that scores all of them side by side
 * (OptiLLM rates each in its own call); the best-rated sample is returned, the first on a tie.
 */
export const BON_OPTIONS: OptionSpecs = {
  n: { min: 2, max: 16, default: 3, integer: true, description: 'samples to choose from' },
  temperature: { min: 0.1, max: 2, default: 0.8, integer: false, description: 'sampling temperature of the samples' },
};

export const bon: DescribedTechnique = {
  name: 'bon',
  description: 'n samples in one call, one rating call scores them, the best is returned.',
  options: BON_OPTIONS,
  bounds(request, options) {
    const { n } = readOptions('bon', options, BON_OPTIONS);
    return { maxUpstreamRequests: n! + 1, maxCompletionTokens: n! * callMaxTokens(request) + ratingMaxTokens(n!) };
  },
  async run(ctx) {
    const { n, temperature } = readOptions('bon', ctx.options, BON_OPTIONS);
    throwIfAborted(ctx);
    const samples = await ctx.complete({
      label: 'bon:sample',
      messages: ctx.request.messages,
      n: n!,
      temperature: temperature!,
      max_tokens: callMaxTokens(ctx.request),
    });
    throwIfAborted(ctx);
    const scores = await rateCandidates(ctx.complete, ctx.request.messages, samples.texts, 'bon:rate');
    const best = bestIndex(scores);
    return { answer: samples.texts[best] ?? '', finishReason: samples.finishReasons[best] ?? 'stop' };
  },
};
