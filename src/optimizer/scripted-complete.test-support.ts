import { costUsd } from '../costs/cost.ts';
import type { Pricing } from '../config/schema.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';
import { textOf } from './techniques/technique-kit.ts';
import type { Complete, CompletionCall, CompletionResult } from './types.ts';

/**
 * TEST SUPPORT: a `Complete` that answers from a script and records every call it got, so tests can
 * assert a technique's exact call pattern (how many calls, which prompts, which n) and its choice.
 *
 * A reply is a string (repeated for every one of the call's n choices), an array with exactly n
 * texts, or a full `ScriptedReply`. The script is a list (one reply per call, in order; running past
 * its end throws) or a function of the call and its index.
 *
 * Usage is counted like the simulator: ceil(chars / 4) of every message per request, plus 3 per
 * message, and ceil(chars / 4) of each choice; cost is priced from `pricing` (default $1 / $2 per 1M).
 */

export interface ScriptedReply {
  texts: string[];
  finishReasons?: Array<string | null>;
  /** Replaces the counted usage of this call. */
  usage?: NormalizedUsage;
  /** Replaces the priced cost of this call. */
  costUsd?: number;
  model?: string;
}

export type ScriptEntry = string | string[] | ScriptedReply;
export type Script = readonly ScriptEntry[] | ((call: CompletionCall, index: number) => ScriptEntry);

export interface ScriptedCompleteOptions {
  model?: string;
  /** false: n is served by n separate requests (upstreamRequests = n, prompt tokens counted n times). */
  supportsN?: boolean;
  pricing?: Pricing;
}

export interface ScriptedComplete {
  complete: Complete;
  /** Every call received, in order. */
  calls: CompletionCall[];
  /** The last user message's text of each call, in order. */
  prompts(): string[];
}

const DEFAULT_PRICING: Pricing = { input: 1, output: 2 };

function promptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + Math.ceil(textOf(m.content).length / 4) + 3, 0);
}

function lastUser(messages: readonly ChatMessage[]): string {
  const m = [...messages].reverse().find((x) => x.role === 'user');
  return m ? textOf(m.content) : '';
}

function asReply(entry: ScriptEntry, n: number, label: string): ScriptedReply {
  const reply = typeof entry === 'string' ? { texts: new Array<string>(n).fill(entry) } : Array.isArray(entry) ? { texts: entry } : entry;
  if (reply.texts.length !== n) throw new Error(`scripted reply for '${label}' has ${reply.texts.length} texts; the call asked for n = ${n}`);
  return reply;
}

export function scriptedComplete(script: Script, opts: ScriptedCompleteOptions = {}): ScriptedComplete {
  const calls: CompletionCall[] = [];
  const pricing = opts.pricing ?? DEFAULT_PRICING;
  const complete: Complete = async (call) => {
    const index = calls.length;
    calls.push(call);
    const n = call.n ?? 1;
    let entry: ScriptEntry | undefined;
    if (typeof script === 'function') entry = script(call, index);
    else {
      entry = script[index];
      if (entry === undefined) throw new Error(`the script has ${script.length} replies; call ${index + 1} ('${call.label}') has none`);
    }
    const reply = asReply(entry, n, call.label);
    const requests = opts.supportsN === false ? n : 1;
    const usage: NormalizedUsage = reply.usage ?? {
      inputTokens: requests * promptTokens(call.messages),
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: reply.texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0),
      reasoningTokens: 0,
    };
    const result: CompletionResult = {
      texts: reply.texts,
      finishReasons: reply.finishReasons ?? reply.texts.map(() => 'stop'),
      usage,
      costUsd: reply.costUsd ?? costUsd(usage, pricing),
      model: reply.model ?? opts.model ?? 'scripted-model',
      upstreamRequests: requests,
    };
    return result;
  };
  return { complete, calls, prompts: () => calls.map((c) => lastUser(c.messages)) };
}
