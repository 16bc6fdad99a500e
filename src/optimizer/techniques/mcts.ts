import { bestIndex, rateCandidates, ratingMaxTokens } from './rate-candidates.ts';
import { callMaxTokens, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique, type OptionSpecs } from './technique-kit.ts';

/**
 * Bounded tree search in the spirit of MCTS (select → expand → evaluate), without rollouts: at each of
 * `depth` levels the current best answer is expanded into `breadth` children in one n-choice call, one
 * rating call scores the parent and its children together, and the search descends into the best. It
 * stops early when the parent outscores every child, so it never exceeds depth × (breadth + 1) requests.
 */
export const MCTS_OPTIONS: OptionSpecs = {
  depth: { min: 1, max: 4, default: 2, integer: true, description: 'levels of expansion' },
  breadth: { min: 2, max: 6, default: 3, integer: true, description: 'children per expansion' },
};

export function refineNote(draft: string): string {
  return `A draft response to the user's last message is below. Write a better complete response: fix mistakes, fill gaps, keep what is right.\n\nDraft:\n${draft}`;
}

export const mcts: DescribedTechnique = {
  name: 'mcts',
  description: 'Bounded tree search: expand breadth children per level in one call, rate them in one call, descend.',
  options: MCTS_OPTIONS,
  bounds(request, options) {
    const { depth, breadth } = readOptions('mcts', options, MCTS_OPTIONS);
    const m = callMaxTokens(request);
    return { maxUpstreamRequests: depth! * (breadth! + 1), maxCompletionTokens: depth! * (breadth! * m + ratingMaxTokens(breadth! + 1)) };
  },
  async run(ctx) {
    const { depth, breadth } = readOptions('mcts', ctx.options, MCTS_OPTIONS);
    const m = callMaxTokens(ctx.request);
    const messages = ctx.request.messages;
    let best: { text: string; finish: string } | undefined;
    for (let level = 0; level < depth!; level++) {
      throwIfAborted(ctx);
      const expandMessages = best ? withSystemNote(messages, refineNote(best.text)) : messages;
      const children = await ctx.complete({ label: 'mcts:expand', messages: expandMessages, n: breadth!, temperature: 1, max_tokens: m });
      const nodes = [...(best ? [best] : []), ...children.texts.map((text, i) => ({ text, finish: children.finishReasons[i] ?? 'stop' }))];
      throwIfAborted(ctx);
      const scores = await rateCandidates(
        ctx.complete,
        messages,
        nodes.map((x) => x.text),
        'mcts:rate',
      );
      const pick = bestIndex(scores);
      const parentKept = best !== undefined && pick === 0;
      best = nodes[pick]!;
      if (parentKept) break;
    }
    return { answer: best!.text, finishReason: best!.finish };
  },
};
