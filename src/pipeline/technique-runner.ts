import { invalidOptions } from '../optimizer/optillm-conventions.ts';
import {
  runTechniqueSpec,
  techniqueBounds,
  techniqueMaxChoices,
  TECHNIQUES,
  TechniqueAbortedError,
  TechniqueOptionError,
  UnknownTechniqueError,
} from '../optimizer/run-technique.ts';
import type { OptimizedAnswer, TechniqueBounds, TechniqueContext } from '../optimizer/types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import { GatewayError } from '../util/errors.ts';

/** The technique registry as the request path sees it: its errors become the client-facing ones. */

export function techniqueNames(): string[] {
  return Object.keys(TECHNIQUES);
}

/** The spec's stated bounds; an unknown name or a bad option is the client's 400. */
export function boundsOf(spec: string, request: ChatRequest, options: Readonly<Record<string, number>>): TechniqueBounds {
  try {
    return techniqueBounds(spec, request, options);
  } catch (err) {
    throw clientFacing(err);
  }
}

/** Most choices one run of the spec returns (options already checked by `boundsOf`). */
export function maxChoicesOf(spec: string, options: Readonly<Record<string, number>>): number {
  try {
    return techniqueMaxChoices(spec, options);
  } catch (err) {
    throw clientFacing(err);
  }
}

export async function runTechnique(spec: string, ctx: TechniqueContext): Promise<OptimizedAnswer> {
  try {
    return await runTechniqueSpec(spec, ctx);
  } catch (err) {
    throw clientFacing(err);
  }
}

function clientFacing(err: unknown): unknown {
  if (err instanceof UnknownTechniqueError) {
    return new GatewayError(400, 'invalid_request_error', err.message, { param: 'optillm_approach', code: 'unknown_technique' });
  }
  if (err instanceof TechniqueOptionError) return invalidOptions(err.message);
  if (err instanceof TechniqueAbortedError) {
    return new GatewayError(499, 'invalid_request_error', 'The client closed the request.', { code: 'client_closed' });
  }
  return err;
}
