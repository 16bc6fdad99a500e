import { bestIndex, rateCandidates, ratingMaxTokens } from './rate-candidates.ts';
import { callMaxTokens, readOptions, throwIfAborted, voteByAnswer, withSystemNote, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * PlanSearch (Wang et al. 2024), bounded: one call lists observations about the problem; one n-choice
 * call proposes n plans from them; n calls (in parallel) each solve the problem following one plan.
 * The plurality of the solutions' normalized answers wins; without a clear plurality one rating call picks.
 */
export const PLANSEARCH_OPTIONS: OptionSpecs = {
  n: { min: 1, max: 6, default: 3, integer: true, description: 'plans, each solved once' },
};

export const OBSERVE_NOTE = "List the key observations a correct solution to the user's problem must use, one per line. Do not solve the problem.";

export function planNote(observations: string): string {
  return `Observations about the user's problem:\n${observations}\n\nPropose one plan for solving it in a few sentences, built on these observations. Do not carry the plan out.`;
}

export function solveNote(plan: string): string {
  return `Solve the user's problem by following this plan, then state the final answer.\n\nPlan:\n${plan}`;
}

export const plansearch: DescribedTechnique = {
  name: 'plansearch',
  description: 'Observations, n plans in one call, one solution per plan; vote, rating call on a split.',
  options: PLANSEARCH_OPTIONS,
  bounds(request, options) {
    const { n } = readOptions('plansearch', options, PLANSEARCH_OPTIONS);
    const m = callMaxTokens(request);
    return { maxUpstreamRequests: 2 * n! + 2, maxCompletionTokens: (2 * n! + 1) * m + ratingMaxTokens(n!) };
  },
  async run(ctx) {
    const { n } = readOptions('plansearch', ctx.options, PLANSEARCH_OPTIONS);
    const m = callMaxTokens(ctx.request);
    const messages = ctx.request.messages;
    throwIfAborted(ctx);
    const observations = await ctx.complete({ label: 'plansearch:observe', messages: withSystemNote(messages, OBSERVE_NOTE), temperature: 0.3, max_tokens: m });
    throwIfAborted(ctx);
    const plans = await ctx.complete({
      label: 'plansearch:plan',
      messages: withSystemNote(messages, planNote(observations.texts[0] ?? '')),
      n: n!,
      temperature: 0.9,
      max_tokens: m,
    });
    throwIfAborted(ctx);
    const solutions = await Promise.all(
      plans.texts.map((plan) =>
        ctx.complete({ label: 'plansearch:solve', messages: withSystemNote(messages, solveNote(plan)), temperature: 0.2, max_tokens: m }),
      ),
    );
    const texts = solutions.map((s) => s.texts[0] ?? '');
    const vote = voteByAnswer(texts);
    let pick = vote.index;
    if (texts.length > 1 && (vote.votes < 2 || vote.tied)) {
      throwIfAborted(ctx);
      pick = bestIndex(await rateCandidates(ctx.complete, messages, texts, 'plansearch:rate'));
    }
    return { answer: texts[pick] ?? '', finishReason: solutions[pick]?.finishReasons[0] ?? 'stop' };
  },
};
