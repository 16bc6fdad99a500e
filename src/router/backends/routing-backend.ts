import type { RouteOutcome, RouterInput } from '../router.ts';
import type { RouteDecision } from '../types.ts';
import type { CandidateScore } from '../../store/types.ts';
import { mergeBackendAnswer, type BackendAnswer } from './merge-backend-answer.ts';

export type RoutingBackendName = 'builtin' | 'notdiamond' | 'routellm';

/**
 * Makes the final routing decision from the built-in router's outcome. The built-in router always
 * runs first (it is cheap and yields the candidates, costs, rationale and fallback order); an
 * external backend only re-picks the chosen model among the built-in's eligible candidates.
 * `decide` never throws: any failure of an external service yields the built-in outcome with a note.
 */
export interface RoutingBackend {
  readonly name: RoutingBackendName;
  decide(input: RouterInput, builtinOutcome: RouteOutcome, signal?: AbortSignal): Promise<RouteOutcome>;
}

/** What an external backend is given to make its pick. */
export interface BackendQuestion {
  input: RouterInput;
  decision: RouteDecision;
  /** The built-in's eligible candidates, best first; the pick must be one of them. */
  eligible: CandidateScore[];
  /** Aborts on the backend's timeout or when the caller gives up. */
  signal: AbortSignal;
}

/** Asks one external service; may throw (network, HTTP status), the wrapper turns that into a note. */
export type AskBackend = (question: BackendQuestion) => Promise<BackendAnswer>;

/** Wraps an external service call with the timeout, the fallback and the timing every backend shares. */
export function externalRoutingBackend(name: Exclude<RoutingBackendName, 'builtin'>, timeoutMs: number, ask: AskBackend): RoutingBackend {
  async function decide(input: RouterInput, builtinOutcome: RouteOutcome, signal?: AbortSignal): Promise<RouteOutcome> {
    if (!builtinOutcome.ok) return builtinOutcome;
    const eligible = builtinOutcome.decision.candidates.filter((c) => c.eligible);
    // With one eligible model there is nothing to re-pick; an external call would only add latency (and, for RouteLLM, cost).
    if (eligible.length < 2) {
      return mergeBackendAnswer(name, builtinOutcome, { ok: false, reason: 'not consulted: only one eligible candidate' }, 0);
    }
    const startNs = process.hrtime.bigint();
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    let answer: BackendAnswer;
    try {
      answer = await ask({ input, decision: builtinOutcome.decision, eligible, signal: combined });
    } catch (err) {
      answer = { ok: false, reason: describeFailure(err, timeout, timeoutMs, signal) };
    }
    const externalUs = Number(process.hrtime.bigint() - startNs) / 1000;
    return mergeBackendAnswer(name, builtinOutcome, answer, externalUs);
  }
  return { name, decide };
}

function describeFailure(err: unknown, timeout: AbortSignal, timeoutMs: number, callerSignal: AbortSignal | undefined): string {
  if (timeout.aborted) return `timed out after ${timeoutMs} ms`;
  if (callerSignal?.aborted) return 'not used: the request was aborted';
  const message = err instanceof Error ? err.message : String(err);
  return `failed (${message})`;
}

/** The default: the built-in router's outcome as it is. */
export const builtinRoutingBackend: RoutingBackend = {
  name: 'builtin',
  decide: (_input, builtinOutcome) => Promise.resolve(builtinOutcome),
};
