import { normalizeAnswer } from '../answer-normalize.ts';
import { callMaxTokens, rankSamples, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * Majority voting: like self_consistency (k samples in one n=k call, plurality of normalized final
 * answers), but each sample is told to end with a "Final answer:" line, so free-form responses vote on
 * a short, comparable answer. The client gets the winning answer's line only when `answer_only` is 1.
 */
export const MAJORITY_VOTING_NOTE = 'Reason as needed, then end your response with one line of the form "Final answer: <answer>".';

export const MAJORITY_VOTING_OPTIONS: OptionSpecs = {
  k: { min: 2, max: 32, default: 5, integer: true, description: 'samples voted over' },
  temperature: { min: 0.1, max: 2, default: 0.7, integer: false, description: 'sampling temperature of the k samples' },
  answer_only: { min: 0, max: 1, default: 0, integer: true, description: '1 returns only "Final answer: <winner>"' },
};

export const majorityVoting: DescribedTechnique = {
  name: 'majority_voting',
  description: 'k samples told to end with "Final answer:", in one n=k call; the majority answer wins.',
  options: MAJORITY_VOTING_OPTIONS,
  bounds(request, options) {
    const { k } = readOptions('majority_voting', options, MAJORITY_VOTING_OPTIONS);
    return { maxUpstreamRequests: k!, maxCompletionTokens: k! * callMaxTokens(request) };
  },
  maxChoices(options) {
    return readOptions('majority_voting', options, MAJORITY_VOTING_OPTIONS).k!;
  },
  async run(ctx) {
    const { k, temperature, answer_only } = readOptions('majority_voting', ctx.options, MAJORITY_VOTING_OPTIONS);
    throwIfAborted(ctx);
    const r = await ctx.complete({
      label: 'majority_voting:sample',
      messages: withSystemNote(ctx.request.messages, MAJORITY_VOTING_NOTE),
      n: k!,
      temperature: temperature!,
      max_tokens: callMaxTokens(ctx.request),
    });
    const [best, ...alternatives] = rankSamples(r.texts).map((i) => {
      const text = r.texts[i] ?? '';
      return { answer: answer_only === 1 ? `Final answer: ${normalizeAnswer(text)}` : text, finishReason: r.finishReasons[i] ?? 'stop' };
    });
    return { ...best!, alternatives };
  },
};
