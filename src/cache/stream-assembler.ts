import type { ChatCompletionChunk, ToolCall } from '../providers/chat-schema.ts';
import { isStorableFinish, type CachedChoice } from './cached-answer.ts';

interface PartialChoice {
  content: string[];
  refusal: string[];
  logprobTokens: unknown[];
  sawLogprobs: boolean;
  toolCalls: Map<number, { id: string; name: string; args: string[] }>;
  finishReason: string | null;
}

/**
 * Rebuilds the choices of a streamed answer from its OpenAI chunks (content and tool-call deltas,
 * per choice index), so a streamed miss can be stored like a non-stream one.
 */
export class StreamAssembler {
  private readonly choices = new Map<number, PartialChoice>();

  push(chunk: ChatCompletionChunk): void {
    for (const c of chunk.choices) {
      const choice = this.choiceAt(c.index);
      if (c.delta.content) choice.content.push(c.delta.content);
      if (typeof c.delta.refusal === 'string') choice.refusal.push(c.delta.refusal);
      for (const call of c.delta.tool_calls ?? []) {
        let acc = choice.toolCalls.get(call.index);
        if (!acc) {
          acc = { id: '', name: '', args: [] };
          choice.toolCalls.set(call.index, acc);
        }
        if (call.id) acc.id = call.id;
        if (call.function?.name) acc.name += call.function.name;
        if (call.function?.arguments) acc.args.push(call.function.arguments);
      }
      this.pushLogprobs(choice, c.logprobs);
      if (c.finish_reason) choice.finishReason = c.finish_reason;
    }
  }

  /** The assembled choices, or undefined when any choice did not finish in a storable way. */
  choicesIfComplete(): CachedChoice[] | undefined {
    if (this.choices.size === 0) return undefined;
    const out: CachedChoice[] = [];
    for (const [index, c] of [...this.choices].sort((a, b) => a[0] - b[0])) {
      const finish = c.finishReason;
      if (!isStorableFinish(finish)) return undefined;
      const toolCalls: ToolCall[] = [...c.toolCalls]
        .sort((a, b) => a[0] - b[0])
        .map(([, t]) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.args.join('') } }));
      const text = c.content.join('');
      out.push({
        index,
        message: {
          role: 'assistant',
          // A tool-calling answer without text has content null, as in a non-stream completion.
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(c.refusal.length > 0 ? { refusal: c.refusal.join('') } : {}),
        },
        finish_reason: finish as CachedChoice['finish_reason'],
        ...(c.sawLogprobs ? { logprobs: { content: c.logprobTokens } } : {}),
      });
    }
    return out;
  }

  /** Streams carry logprobs per chunk as `{content: [...tokens]}`; the completion has one list. */
  private pushLogprobs(choice: PartialChoice, logprobs: unknown): void {
    if (logprobs === null || typeof logprobs !== 'object') return;
    const tokens = (logprobs as { content?: unknown }).content;
    if (!Array.isArray(tokens)) return;
    choice.sawLogprobs = true;
    choice.logprobTokens.push(...(tokens as unknown[]));
  }

  private choiceAt(index: number): PartialChoice {
    let c = this.choices.get(index);
    if (!c) {
      c = { content: [], refusal: [], logprobTokens: [], sawLogprobs: false, toolCalls: new Map(), finishReason: null };
      this.choices.set(index, c);
    }
    return c;
  }
}
