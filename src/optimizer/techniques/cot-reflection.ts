import { callMaxTokens, readOptions, throwIfAborted, withSystemNote, type DescribedTechnique } from './technique-kit.ts';

/**
 * Chain of thought with reflection: one call whose system note asks for <thinking>, <reflection> and
 * <output> sections; the client gets the <output> section (the whole text when the model ignored the format).
 */
export const COT_REFLECTION_PROMPT =
  'Think step by step inside <thinking></thinking>. Then check your reasoning for mistakes inside <reflection></reflection>, ' +
  'correcting it if needed. Finally give the answer for the user inside <output></output>.';

export function outputSection(text: string): string {
  const m = /<output>([\s\S]*?)(?:<\/output>|$)/i.exec(text);
  return m ? m[1]!.trim() : text;
}

export const cotReflection: DescribedTechnique = {
  name: 'cot_reflection',
  description: 'One call with thinking, reflection and output sections; the output section is returned.',
  options: {},
  bounds(request, options) {
    readOptions('cot_reflection', options, {});
    return { maxUpstreamRequests: 1, maxCompletionTokens: callMaxTokens(request) };
  },
  async run(ctx) {
    throwIfAborted(ctx);
    const r = await ctx.complete({
      label: 'cot_reflection',
      messages: withSystemNote(ctx.request.messages, COT_REFLECTION_PROMPT),
      max_tokens: callMaxTokens(ctx.request),
    });
    return { answer: outputSection(r.texts[0] ?? ''), finishReason: r.finishReasons[0] ?? 'stop' };
  },
};
