import { callMaxTokens, numbered, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * Mixture of agents: n proposals in one n-choice call; one call critiques them side by side; one call
 * writes the final answer from the proposals and the critique. The client's question stays the last
 * user message of every step; proposals and critique travel as a system note.
 */
export const MOA_OPTIONS: OptionSpecs = {
  n: { min: 2, max: 8, default: 3, integer: true, description: 'proposals' },
  temperature: { min: 0.1, max: 2, default: 1, integer: false, description: 'sampling temperature of the proposals' },
};

export function critiqueNote(proposals: readonly string[]): string {
  return (
    "Below are candidate responses to the user's last message. Do not answer it yourself: critique each candidate — " +
    `what is right, what is wrong or missing.\n\n${numbered(proposals)}`
  );
}

export function aggregateNote(proposals: readonly string[], critique: string): string {
  return (
    "Below are candidate responses to the user's last message and a critique of them. Write the single best final " +
    `response to the user: keep what is right, fix what is wrong.\n\n${numbered(proposals)}\n\nCritique:\n${critique}`
  );
}

export const moa: DescribedTechnique = {
  name: 'moa',
  description: 'n proposals in one call, one critique call, one aggregation call.',
  options: MOA_OPTIONS,
  bounds(request, options) {
    const { n } = readOptions('moa', options, MOA_OPTIONS);
    return { maxUpstreamRequests: n! + 2, maxCompletionTokens: (n! + 2) * callMaxTokens(request) };
  },
  async run(ctx) {
    const { n, temperature } = readOptions('moa', ctx.options, MOA_OPTIONS);
    const maxTokens = callMaxTokens(ctx.request);
    const messages = ctx.request.messages;
    throwIfAborted(ctx);
    const proposals = await ctx.complete({ label: 'moa:propose', messages, n: n!, temperature: temperature!, max_tokens: maxTokens });
    throwIfAborted(ctx);
    const critique = await ctx.complete({
      label: 'moa:critique',
      messages: withSystemNote(messages, critiqueNote(proposals.texts)),
      temperature: 0.1,
      max_tokens: maxTokens,
    });
    throwIfAborted(ctx);
    const final = await ctx.complete({
      label: 'moa:aggregate',
      messages: withSystemNote(messages, aggregateNote(proposals.texts, critique.texts[0] ?? '')),
      temperature: 0.1,
      max_tokens: maxTokens,
    });
    return { answer: final.texts[0] ?? '', finishReason: final.finishReasons[0] ?? 'stop' };
  },
};
