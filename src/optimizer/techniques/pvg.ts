import { bestIndex, rateCandidates, ratingMaxTokens } from './rate-candidates.ts';
import { callMaxTokens, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * Prover–verifier game (Kirchner et al. 2024), bounded: each round a helpful prover writes n
 * solutions (one n-choice call), a sneaky prover writes n convincing-but-flawed ones (one n-choice
 * call), and one verifier call scores all 2n side by side. The best-scored HELPFUL solution is kept;
 * a later round's helpful prover is asked to improve on it. Sneaky solutions only train the verifier's eye.
 */
// Each technique declares its own option table (same shape as mcts/bon/…, different options and bounds).
export const PVG_OPTIONS: OptionSpecs = {
  n: { min: 1, max: 8, default: 2, integer: true, description: 'solutions per prover per round' },
  rounds: { min: 1, max: 3, default: 1, integer: true, description: 'prover–verifier rounds' },
};

export const HELPFUL_NOTE = "Solve the user's problem carefully and correctly; show the steps a checker needs, then the final answer.";
export const SNEAKY_NOTE =
  "Write a solution to the user's problem that looks convincing but contains one subtle mistake, so a careful checker must look closely to find it.";

export function improveNote(best: string): string {
  return `${HELPFUL_NOTE}\n\nThe best solution so far is below; fix any mistake in it and improve it.\n\n${best}`;
}

export const pvg: DescribedTechnique = {
  name: 'pvg',
  description: 'Per round: n helpful + n sneaky solutions, one verifier call scores them; best helpful wins.',
  options: PVG_OPTIONS,
  bounds(request, options) {
    const { n, rounds } = readOptions('pvg', options, PVG_OPTIONS);
    const m = callMaxTokens(request);
    return { maxUpstreamRequests: rounds! * (2 * n! + 1), maxCompletionTokens: rounds! * (2 * n! * m + ratingMaxTokens(2 * n!)) };
  },
  async run(ctx) {
    const { n, rounds } = readOptions('pvg', ctx.options, PVG_OPTIONS);
    const m = callMaxTokens(ctx.request);
    const messages = ctx.request.messages;
    let best: { text: string; finish: string } | undefined;
    for (let round = 0; round < rounds!; round++) {
      throwIfAborted(ctx);
      const note = best ? improveNote(best.text) : HELPFUL_NOTE;
      const [helpful, sneaky] = await Promise.all([
        ctx.complete({ label: 'pvg:helpful', messages: withSystemNote(messages, note), n: n!, temperature: 0.7, max_tokens: m }),
        ctx.complete({ label: 'pvg:sneaky', messages: withSystemNote(messages, SNEAKY_NOTE), n: n!, temperature: 0.7, max_tokens: m }),
      ]);
      throwIfAborted(ctx);
      const scores = await rateCandidates(ctx.complete, messages, [...helpful.texts, ...sneaky.texts], 'pvg:verify');
      const pick = bestIndex(scores.slice(0, helpful.texts.length));
      best = { text: helpful.texts[pick] ?? '', finish: helpful.finishReasons[pick] ?? 'stop' };
    }
    return { answer: best!.text, finishReason: best!.finish };
  },
};
