import type { TechniquePlanCheck } from '../config/check-references.ts';
import { sumUsd } from '../costs/cost.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import { sumUsage } from './sum-usage.ts';
import { bon } from './techniques/bon.ts';
import { cotReflection } from './techniques/cot-reflection.ts';
import { leap } from './techniques/leap.ts';
import { majorityVoting } from './techniques/majority-voting.ts';
import { mcts } from './techniques/mcts.ts';
import { moa } from './techniques/moa.ts';
import { none } from './techniques/none.ts';
import { plansearch } from './techniques/plansearch.ts';
import { pvg } from './techniques/pvg.ts';
import { bestIndex, rateCandidates, ratingMaxTokens } from './techniques/rate-candidates.ts';
import { re2 } from './techniques/re2.ts';
import { rto } from './techniques/rto.ts';
import { selfConsistency } from './techniques/self-consistency.ts';
import {
  callMaxTokens,
  TechniqueAbortedError,
  TechniqueOptionError,
  throwIfAborted,
  voteByAnswer,
  withSystemNote,
  type DescribedTechnique,
} from './techniques/technique-kit.ts';
import type { CallRecord, Complete, OptimizedAnswer, TechniqueBounds, TechniqueContext, TechniqueResult } from './types.ts';

export { sumUsage } from './sum-usage.ts';
export { TechniqueAbortedError, TechniqueOptionError } from './techniques/technique-kit.ts';

/**
 * The technique registry and the runner of technique specs.
 *
 * A spec is one technique name or a combination:
 * - `a&b` (pipeline): `a` runs on the client's request; then `b` runs on the same request with `a`'s
 *   answer added as a system note ("a previous step answered … check it, improve it, give your own
 *   final answer"); the client's question stays the last user message. The last step's answer is
 *   the result. Steps run one after another, so the bounds add up.
 * - `a|b` (parallel): every branch runs on the client's request at the same time. The branch answers
 *   are voted on by normalized final answer; a strict plurality of two or more wins at once.
 *   Otherwise one more call (`parallel:select`) rates the branch answers and the best-rated one wins
 *   (the leftmost on a tie). The bounds are the branches' sum plus that call.
 * `&` binds tighter than `|`: `re2&self_consistency|moa` is (re2 then self_consistency) beside moa.
 *
 * Options are shared by every technique in a spec (each reads the ones it knows); an option that no
 * technique of the spec knows is refused, as is a value outside a technique's range.
 */

export const TECHNIQUES: Readonly<Record<string, DescribedTechnique>> = Object.freeze(
  Object.fromEntries([none, re2, cotReflection, selfConsistency, majorityVoting, bon, moa, plansearch, leap, rto, pvg, mcts].map((t) => [t.name, t])),
);

export class UnknownTechniqueError extends Error {
  override readonly name = 'UnknownTechniqueError';
  constructor(
    readonly unknown: readonly string[],
    readonly valid: readonly string[] = Object.keys(TECHNIQUES),
  ) {
    super(
      `Unknown technique ${unknown.map((n) => `'${n}'`).join(', ')}. Valid techniques: ${valid.join(', ')}; ` +
        'combine them with & (pipeline: one after another) or | (parallel: side by side, then the best answer is picked).',
    );
  }
}

/** A technique made more calls or asked for more tokens than it stated up front: a bug, never billed past. */
export class BoundsExceededError extends Error {
  override readonly name = 'BoundsExceededError';
}

/** Parallel branches, each a pipeline of technique names. */
export interface TechniqueSpec {
  /** The spec as normalized text, e.g. `re2&self_consistency|moa`. */
  text: string;
  branches: string[][];
}

export function parseTechniqueSpec(spec: string): TechniqueSpec {
  const branches = spec.split('|').map((b) => b.split('&').map((n) => n.trim()));
  const names = branches.flat();
  const unknown = [...new Set(names.filter((n) => !Object.hasOwn(TECHNIQUES, n)))];
  if (unknown.length > 0) throw new UnknownTechniqueError(unknown);
  return { text: branches.map((b) => b.join('&')).join('|'), branches };
}

/** The `a|b` pick call's token cap (a rating line per branch). */
function selectMaxTokens(branches: number): number {
  return ratingMaxTokens(branches);
}

function asSpec(spec: string | TechniqueSpec): TechniqueSpec {
  return typeof spec === 'string' ? parseTechniqueSpec(spec) : spec;
}

function checkOptionNames(spec: TechniqueSpec, options: Readonly<Record<string, number>>): void {
  const techniques = spec.branches.flat().map((n) => TECHNIQUES[n]!);
  for (const option of Object.keys(options)) {
    if (techniques.some((t) => Object.hasOwn(t.options, option))) continue;
    const known = [...new Set(techniques.flatMap((t) => Object.keys(t.options)))];
    throw new TechniqueOptionError(
      `Option '${option}' is not an option of ${spec.text}; ${known.length ? `its options are: ${known.join(', ')}` : 'it takes no options'}.`,
      option,
    );
  }
}

/** Only the options some technique of the spec knows: for running several specs with one option set (eval). */
export function optionsForSpec(spec: string | TechniqueSpec, options: Readonly<Record<string, number>>): Record<string, number> {
  const techniques = asSpec(spec)
    .branches.flat()
    .map((n) => TECHNIQUES[n]!);
  return Object.fromEntries(Object.entries(options).filter(([name]) => techniques.some((t) => Object.hasOwn(t.options, name))));
}

/**
 * Most answers one run of the spec returns, for a client's n > 1: a vote (self_consistency,
 * majority_voting, or a pipeline ending in one) hands out up to k of its samples; anything else, and
 * any parallel spec, returns one. Validates the options of the step it asks.
 */
export function techniqueMaxChoices(spec: string | TechniqueSpec, options: Readonly<Record<string, number>> = {}): number {
  const parsed = asSpec(spec);
  if (parsed.branches.length > 1) return 1;
  const last = TECHNIQUES[parsed.branches[0]!.at(-1)!]!;
  return last.maxChoices?.(options) ?? 1;
}

function addBounds(a: TechniqueBounds, b: TechniqueBounds): TechniqueBounds {
  return { maxUpstreamRequests: a.maxUpstreamRequests + b.maxUpstreamRequests, maxCompletionTokens: a.maxCompletionTokens + b.maxCompletionTokens };
}

/** The most a spec can make and ask for; also validates the options (throws TechniqueOptionError). */
export function techniqueBounds(spec: string | TechniqueSpec, request: ChatRequest, options: Readonly<Record<string, number>> = {}): TechniqueBounds {
  const parsed = asSpec(spec);
  checkOptionNames(parsed, options);
  let total: TechniqueBounds = { maxUpstreamRequests: 0, maxCompletionTokens: 0 };
  for (const branch of parsed.branches) for (const name of branch) total = addBounds(total, TECHNIQUES[name]!.bounds(request, options));
  if (parsed.branches.length > 1) total = addBounds(total, { maxUpstreamRequests: 1, maxCompletionTokens: selectMaxTokens(parsed.branches.length) });
  return total;
}

/** The config check of a technique plan (`optimizer.task_types.*`): the problem and its field, or none. */
export const checkTechniquePlan: TechniquePlanCheck = (technique, options) => {
  try {
    techniqueBounds(technique, { model: 'config', messages: [{ role: 'user', content: '' }] }, options);
    return undefined;
  } catch (err) {
    return { field: err instanceof TechniqueOptionError ? 'options' : 'technique', message: err instanceof Error ? err.message : String(err) };
  }
};

/** Wraps `complete`: records every call, and refuses a call that would pass the stated bounds or follows an abort. */
export class CallRecorder {
  readonly calls: CallRecord[] = [];
  private requests = 0;
  private completionTokens = 0;

  constructor(
    private readonly inner: Complete,
    private readonly bounds: TechniqueBounds,
    private readonly request: ChatRequest,
    private readonly signal: AbortSignal | undefined,
  ) {}

  readonly complete: Complete = async (call) => {
    if (this.signal?.aborted) throw new TechniqueAbortedError(`The technique stopped before '${call.label}': the client went away.`);
    const n = call.n ?? 1;
    const tokens = n * (call.max_tokens ?? callMaxTokens(this.request));
    if (this.requests + n > this.bounds.maxUpstreamRequests || this.completionTokens + tokens > this.bounds.maxCompletionTokens) {
      throw new BoundsExceededError(
        `'${call.label}' would pass the technique's stated bounds (${this.bounds.maxUpstreamRequests} requests, ${this.bounds.maxCompletionTokens} completion tokens).`,
      );
    }
    this.requests += n;
    this.completionTokens += tokens;
    const result = await this.inner(call);
    this.calls.push({ label: call.label, model: result.model, upstreamRequests: result.upstreamRequests, usage: result.usage, costUsd: result.costUsd });
    return result;
  };
}

async function runPipeline(names: readonly string[], ctx: TechniqueContext): Promise<TechniqueResult> {
  let result: TechniqueResult | undefined;
  let previous = '';
  for (const name of names) {
    throwIfAborted(ctx);
    const request: ChatRequest = result
      ? { ...ctx.request, messages: withSystemNote(ctx.request.messages, pipelineNote(previous, result.answer)) }
      : ctx.request;
    result = await TECHNIQUES[name]!.run({ ...ctx, request });
    previous = name;
  }
  return result!;
}

export function pipelineNote(step: string, answer: string): string {
  return (
    `A previous step (${step}) answered the user's last message as follows. Use it as context: check it, ` +
    `correct or improve it where needed, and give your own complete final answer.\n\n<previous_answer>\n${answer}\n</previous_answer>`
  );
}

async function runParallel(spec: TechniqueSpec, ctx: TechniqueContext): Promise<TechniqueResult> {
  const results = await Promise.all(spec.branches.map((b) => runPipeline(b, ctx)));
  if (results.length === 1) return results[0]!;
  const answers = results.map((r) => r.answer);
  const vote = voteByAnswer(answers);
  if (vote.votes >= 2 && !vote.tied) return results[vote.index]!;
  throwIfAborted(ctx);
  const scores = await rateCandidates(ctx.complete, ctx.request.messages, answers, 'parallel:select');
  return results[bestIndex(scores)]!;
}

/** Runs a spec over `ctx.complete`; usage and cost are summed over every call it made. */
export async function runTechniqueSpec(spec: string | TechniqueSpec, ctx: TechniqueContext): Promise<OptimizedAnswer> {
  const parsed = asSpec(spec);
  const bounds = techniqueBounds(parsed, ctx.request, ctx.options);
  const recorder = new CallRecorder(ctx.complete, bounds, ctx.request, ctx.signal);
  const result = await runParallel(parsed, { ...ctx, complete: recorder.complete });
  return {
    ...result,
    technique: parsed.text,
    calls: recorder.calls,
    usage: sumUsage(recorder.calls.map((c) => c.usage)),
    costUsd: sumUsd(recorder.calls.map((c) => c.costUsd)),
    bounds,
  };
}
